/**
 * {@code bpf ipcache|endpoint|ct|metrics ...}: the node's datapath maps as the kernel
 * holds them, read from the agent's {@code GET /actuator/bpf/{map}}, printed as
 * upstream's {@code cilium-dbg bpf} prints them.
 */
package io.jcilium.cli.bpf;
