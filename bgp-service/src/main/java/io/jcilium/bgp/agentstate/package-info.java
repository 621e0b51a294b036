/**
 * The local agent's node state ({@code agent.v1.NodeStateService}): this node's pod CIDRs
 * and the LoadBalancer and external IPs it serves, watched over gRPC, for the
 * advertisements of the API server mode.
 */
package io.jcilium.bgp.agentstate;
