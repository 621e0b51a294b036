package io.jcilium.agent.policy;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.engine.PolicyDelta;

/** The engine's entries and enforcement of one local identity, kept by the deltas. */
final class IdentityPolicy {

	final Set<MapEntry> entries = new HashSet<>();

	boolean ingressEnforced;

	boolean egressEnforced;

	static IdentityPolicy of(EndpointPolicy policy) {
		IdentityPolicy state = new IdentityPolicy();
		if (policy != null) {
			state.entries.addAll(policy.entries());
			state.ingressEnforced = policy.ingressEnforced();
			state.egressEnforced = policy.egressEnforced();
		}
		return state;
	}

	void apply(PolicyDelta.EndpointChange change) {
		this.entries.removeAll(change.removed());
		this.entries.addAll(change.added());
		this.ingressEnforced = change.ingressEnforced();
		this.egressEnforced = change.egressEnforced();
	}

	Map<PolicyKey, Boolean> desired() {
		return PolicyMapKeys.desired(this.entries, this.ingressEnforced, this.egressEnforced);
	}

}
