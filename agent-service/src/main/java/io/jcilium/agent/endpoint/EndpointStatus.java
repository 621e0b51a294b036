package io.jcilium.agent.endpoint;

/**
 * A consistent snapshot of one endpoint, as the REST API shows it.
 *
 * @param id endpoint id (1-4095, as upstream)
 * @param containerId the container id
 * @param podIfName pod-side interface
 * @param hostIfName node-side veth
 * @param hostIfIndex node-side interface index, 0 until the link exists
 * @param podNamespace Kubernetes namespace or {@code null}
 * @param podName pod name or {@code null}
 * @param address the pod address
 * @param identity security identity, 0 until resolved
 * @param state upstream state name
 * @param stateReason why the endpoint is in this state
 */
public record EndpointStatus(int id, String containerId, String podIfName, String hostIfName, int hostIfIndex,
		String podNamespace, String podName, String address, long identity, String state, String stateReason) {

}
