package io.jcilium.agent.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;

/**
 * A policy map in memory that records the order of its operations.
 */
final class InMemoryPolicyMap implements EndpointPolicyMap {

	final Map<PolicyKey, Boolean> keys = new HashMap<>();

	/** "+key" for an upsert, "-key" for a delete, in order. */
	final List<String> operations = new ArrayList<>();

	@Override
	public synchronized Map<PolicyKey, Boolean> read() {
		return new HashMap<>(this.keys);
	}

	@Override
	public synchronized void write(Map<PolicyKey, Boolean> upserts, Collection<PolicyKey> deletes) {
		upserts.forEach((key, deny) -> {
			this.keys.put(key, deny);
			this.operations.add("+" + key);
		});
		for (PolicyKey key : deletes) {
			this.keys.remove(key);
			this.operations.add("-" + key);
		}
	}

}
