package io.jcilium.common.policy.engine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.jcilium.common.policy.model.Peer;

/**
 * The engine's working state of one endpoint: reference-counted entries (several rules
 * may yield the same entry), the selectors it uses, and its enforcement flags.
 */
final class EndpointState {

	final Map<MapEntry, Integer> counts = new HashMap<>();

	final Set<Peer> peers = new HashSet<>();

	boolean ingress;

	boolean egress;

	/** Returns whether the entry is new. */
	boolean increment(MapEntry entry) {
		return this.counts.merge(entry, 1, Integer::sum) == 1;
	}

	/** Returns whether the entry is gone. */
	boolean decrement(MapEntry entry) {
		Integer count = this.counts.get(entry);
		if (count == null) {
			return false;
		}
		if (count == 1) {
			this.counts.remove(entry);
			return true;
		}
		this.counts.put(entry, count - 1);
		return false;
	}

	EndpointPolicy toPolicy(long id) {
		return new EndpointPolicy(id, this.ingress, this.egress, new TreeSet<>(this.counts.keySet()));
	}

}
