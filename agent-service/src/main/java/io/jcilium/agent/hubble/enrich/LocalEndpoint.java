package io.jcilium.agent.hubble.enrich;

import java.util.List;

import io.jcilium.api.hubble.flow.Workload;

/**
 * What flows show of an endpoint of this node.
 *
 * @param id endpoint id
 * @param namespace the pod's namespace, empty outside Kubernetes
 * @param podName the pod's name, empty outside Kubernetes
 * @param address the pod's address
 * @param hostIfName the node-side interface
 * @param hostIfIndex its index, 0 until known
 * @param identity the security identity, 0 until known
 * @param workloads the pod's workloads, empty if none is known
 */
public record LocalEndpoint(int id, String namespace, String podName, String address, String hostIfName,
		int hostIfIndex, long identity, List<Workload> workloads) {

}
