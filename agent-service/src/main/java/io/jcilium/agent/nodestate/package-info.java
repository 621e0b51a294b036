/**
 * The node state the local agent tells node-level consumers such as bgp-service
 * ({@code agent.v1.NodeStateService}): this node's addresses, labels and pod CIDRs and
 * the LoadBalancer and external IPs its load balancer serves, whether each has a local
 * backend. Assembled from the agent's informers in plain Java, published with a revision
 * that grows on every change.
 */
package io.jcilium.agent.nodestate;
