package io.jcilium.common.policy.engine;

import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.PolicySource;

/**
 * The policy state of one local endpoint identity: enforcement per direction and its map
 * entries, each with the rules it is derived from (upstream's {@code DerivedFromRules};
 * provenance stays here, the kernel's policy map holds only the entry). Entries apply to
 * new connections; replies of an allowed connection are allowed by connection tracking
 * without a policy lookup, so no entry is needed for them.
 *
 * @param identity the endpoint's identity
 * @param ingressEnforced whether ingress traffic not allowed is dropped
 * @param egressEnforced whether egress traffic not allowed is dropped
 * @param derivedFrom the map entries, sorted, each with the distinct rules deriving it,
 * sorted
 */
public record EndpointPolicy(long identity, boolean ingressEnforced, boolean egressEnforced,
		SortedMap<MapEntry, List<PolicySource>> derivedFrom) {

	public EndpointPolicy {
		NavigableMap<MapEntry, List<PolicySource>> copy = new TreeMap<>(derivedFrom);
		derivedFrom = Collections.unmodifiableNavigableMap(copy);
	}

	/**
	 * The map entries.
	 * @return the entries, sorted
	 */
	public SortedSet<MapEntry> entries() {
		return ((NavigableMap<MapEntry, List<PolicySource>>) this.derivedFrom).navigableKeySet();
	}

	/**
	 * The rules an entry is derived from.
	 * @param entry a map entry
	 * @return the distinct rules, sorted; empty if the entry is not in this policy
	 */
	public List<PolicySource> derivedFrom(MapEntry entry) {
		return this.derivedFrom.getOrDefault(entry, List.of());
	}

	/**
	 * Whether enforcement is on in the direction.
	 * @param direction the direction
	 * @return whether it is enforced
	 */
	public boolean enforced(Direction direction) {
		return (direction == Direction.INGRESS) ? this.ingressEnforced : this.egressEnforced;
	}

	/**
	 * The datapath's decision for a new connection, from the entries alone: a matching
	 * deny wins over any allow, then a matching allow, then the direction's default.
	 * @param direction the direction
	 * @param peer the peer identity
	 * @param protocol the protocol number
	 * @param port destination port or ICMP type
	 * @return whether the connection is allowed
	 */
	public boolean allows(Direction direction, long peer, int protocol, int port) {
		boolean allowed = false;
		for (MapEntry entry : this.derivedFrom.keySet()) {
			if (entry.direction() == direction && entry.matches(peer, protocol, port)) {
				if (entry.deny()) {
					return false;
				}
				allowed = true;
			}
		}
		return allowed || !enforced(direction);
	}

}
