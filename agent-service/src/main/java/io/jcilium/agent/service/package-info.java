/**
 * Service load balancing without kube-proxy (issue 15): Services and EndpointSlices
 * become frontends and backends ({@code translate}), written into the LB maps one service
 * at a time ({@code lb}, {@code maps}) by a level-triggered reconciler ({@code watch}),
 * and used by the socket programs of {@code bpf/bpf_sock.c} attached to the cgroup v2
 * root ({@code socklb}).
 */
package io.jcilium.agent.service;
