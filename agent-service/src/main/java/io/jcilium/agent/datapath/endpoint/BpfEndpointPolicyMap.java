package io.jcilium.agent.datapath.endpoint;

import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.maps.PolicyMapSync;
import io.jcilium.agent.policy.EndpointPolicyMap;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.PolicyDelta;

/**
 * An endpoint's pinned BPF policy map behind the policy cell's interface: entries are
 * encoded into keys by the datapath's one encoder, written all or nothing, and announced
 * to the endpoint's program once per change (one policy revision bump, not one per key).
 */
final class BpfEndpointPolicyMap implements EndpointPolicyMap {

	private final PolicyMapSync sync;

	BpfEndpointPolicyMap(int endpointId, EndpointProgram program) {
		this.sync = new PolicyMapSync(program.policy(), "the policy map of endpoint " + endpointId);
	}

	@Override
	public int replace(EndpointPolicy policy) {
		return this.sync.replace(policy.entries(), policy.ingressEnforced(), policy.egressEnforced());
	}

	@Override
	public int apply(PolicyDelta.EndpointChange change) {
		return this.sync.apply(change.added(), change.removed(), change.ingressEnforced(), change.egressEnforced());
	}

}
