/**
 * The agent's Kubernetes cell: informers on this node's pods, namespaces, nodes and
 * CiliumNodes, CiliumEndpoints and network policies, feeding pod metadata, policies and
 * ipcache entries into the other cells, and a {@code CiliumEndpoint} object written for
 * every local pod. Switched off with {@code jcilium.agent.k8s.enabled=false}.
 */
package io.jcilium.agent.k8s;
