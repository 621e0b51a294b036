/**
 * The console's {@code service list|get} and {@code bpf lb list}: the agent's load
 * balancer as upstream's {@code cilium-dbg} prints it.
 */
package io.jcilium.cli.service;
