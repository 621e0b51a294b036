package io.jcilium.common.policy.engine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.policy.model.PolicySource;

/**
 * The engine's working state of one endpoint: its entries, each with the rules deriving
 * it (several rules may yield the same entry, and it stays while one of them does), the
 * selectors it uses, and its enforcement flags.
 */
final class EndpointState {

	final Map<MapEntry, Derivation> entries = new HashMap<>();

	final Set<Peer> peers = new HashSet<>();

	boolean ingress;

	boolean egress;

	/** Records one more derivation of the entry; returns whether the entry is new. */
	boolean add(MapEntry entry, Derivation.Single rule) {
		Derivation current = this.entries.putIfAbsent(entry, rule);
		if (current == null) {
			return true;
		}
		Derivation next = current.plus(rule);
		if (next != current) {
			this.entries.put(entry, next);
		}
		return false;
	}

	/**
	 * Drops one derivation of the entry by the rule; returns whether the entry is gone.
	 */
	boolean remove(MapEntry entry, PolicySource rule) {
		Derivation current = this.entries.get(entry);
		if (current == null) {
			return false;
		}
		Derivation next = current.minus(rule);
		if (next == null) {
			this.entries.remove(entry);
			return true;
		}
		if (next != current) {
			this.entries.put(entry, next);
		}
		return false;
	}

	EndpointPolicy toPolicy(long id) {
		TreeMap<MapEntry, List<PolicySource>> derivedFrom = new TreeMap<>();
		this.entries.forEach((entry, derivation) -> derivedFrom.put(entry, derivation.rules()));
		return new EndpointPolicy(id, this.ingress, this.egress, derivedFrom);
	}

}
