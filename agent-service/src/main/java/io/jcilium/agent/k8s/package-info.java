/**
 * The agent's Kubernetes plumbing: the client, the informers on this node's pods,
 * namespaces, nodes and CiliumNodes, CiliumEndpoints and network policies, a retrying
 * writer, and the pods' metadata for the endpoints. The features hang their own watchers
 * on the informers ({@code policy}, {@code endpoint}, {@code node}, {@code ipcache}).
 * Switched off with {@code jcilium.agent.k8s.enabled=false}.
 */
package io.jcilium.agent.k8s;
