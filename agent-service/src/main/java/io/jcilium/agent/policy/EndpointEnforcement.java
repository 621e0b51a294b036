package io.jcilium.agent.policy;

import io.jcilium.agent.endpoint.EndpointStatus;
import io.jcilium.common.policy.engine.EndpointPolicy;

/**
 * One local endpoint and whether policy is enforced on it, as the console's
 * {@code endpoint list} shows it (upstream's {@code cilium-dbg endpoint list} columns
 * ENDPOINT, POLICY ENFORCEMENT, IDENTITY, IPv4, STATUS; the LABELS come from the
 * identity).
 *
 * @param endpointId endpoint id
 * @param containerId the container id
 * @param podNamespace Kubernetes namespace, null if unknown
 * @param podName pod name, null if unknown
 * @param ipv4 the pod's IPv4 address
 * @param identity security identity, 0 until resolved
 * @param state upstream state name ({@code ready}, {@code waiting-for-identity}, ...)
 * @param stateReason why the endpoint is in this state, null if nothing to say
 * @param ingressEnforced whether ingress not allowed is dropped; null while no policy is
 * computed for the endpoint's identity
 * @param egressEnforced the same for egress
 */
public record EndpointEnforcement(int endpointId, String containerId, String podNamespace, String podName, String ipv4,
		long identity, String state, String stateReason, Boolean ingressEnforced, Boolean egressEnforced) {

	static EndpointEnforcement of(EndpointStatus status, EndpointPolicy policy) {
		return new EndpointEnforcement(status.id(), status.containerId(), status.podNamespace(), status.podName(),
				status.address(), status.identity(), status.state(), status.stateReason(),
				(policy != null) ? policy.ingressEnforced() : null, (policy != null) ? policy.egressEnforced() : null);
	}

}
