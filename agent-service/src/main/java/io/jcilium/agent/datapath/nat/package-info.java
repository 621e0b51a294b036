/**
 * Masquerading in eBPF (upstream's BPF masquerade with its ip-masq-agent): pods'
 * connections leaving the cluster through a node device take the node's address on that
 * device, and their replies are translated back, in {@code bpf_host.o}'s programs
 * ({@code bpf/lib/nat.h}). This package decides the non-masquerade CIDRs
 * ({@link NonMasqueradeCidrs}) and writes them and the on/off switch into the maps
 * ({@link MasqueradeMaps}) when the agent starts ({@link MasqueradeDatapath}).
 */
package io.jcilium.agent.datapath.nat;
