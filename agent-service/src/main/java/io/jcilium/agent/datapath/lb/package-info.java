/**
 * The kernel side of service load balancing: the LB maps of {@code bpf/lib/lb.h} and
 * their Java mirror {@link io.jcilium.agent.datapath.lb.LbStructs}, and socket LB
 * ({@code bpf_sock.o}) attached to the cgroup v2 hierarchy through BPF links. Implements
 * the service feature's {@code LbMaps}.
 */
package io.jcilium.agent.datapath.lb;
