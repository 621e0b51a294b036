package io.jcilium.agent.datapath.endpoint;

import java.util.TreeMap;

import io.jcilium.agent.endpoint.Endpoint;
import io.jcilium.agent.policy.EndpointPolicies;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.EndpointPolicy;

/**
 * Which policy an endpoint's map holds for the identity its program runs with: the policy
 * cell's, computed for that identity (the init identity's own labels while the endpoint
 * is in its init phase), or, while the policy inputs have not synced, nothing at all
 * (deny every IP packet).
 */
final class EndpointPolicyBinding {

	private final EndpointPolicies policy;

	EndpointPolicyBinding(EndpointPolicies policy) {
		this.policy = policy;
	}

	/**
	 * Binds the endpoint's map to the policy of {@code identity}.
	 * @param withPolicy false: empty the map (deny all) and keep the policy cell off it
	 */
	void write(Endpoint endpoint, long identity, boolean withPolicy, BpfEndpointPolicyMap map) {
		if (withPolicy) {
			this.policy.attach(endpoint.id(), identity, labels(endpoint, identity), endpoint.namedPorts(), map);
			return;
		}
		// Not computed from part of the cluster's rules: nothing allowed, whatever a map
		// pinned under this endpoint id held before.
		this.policy.detach(endpoint.id());
		map.replace(new EndpointPolicy(identity, true, true, new TreeMap<>()));
	}

	void detach(int endpointId) {
		this.policy.detach(endpointId);
	}

	/** Forgets the map handle (being closed) without touching the map's entries. */
	void dropMap(int endpointId) {
		this.policy.dropMap(endpointId);
	}

	/** The labels of the init identity are its own, not the pod's (not known yet). */
	private static Labels labels(Endpoint endpoint, long identity) {
		return (identity == ReservedIdentity.INIT.id()) ? ReservedIdentity.INIT.labels() : endpoint.securityLabels();
	}

}
