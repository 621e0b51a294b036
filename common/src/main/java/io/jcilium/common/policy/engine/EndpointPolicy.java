package io.jcilium.common.policy.engine;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

import io.jcilium.common.policy.model.Direction;

/**
 * The policy state of one local endpoint identity: enforcement per direction and its map
 * entries. Entries apply to new connections; replies of an allowed connection are allowed
 * by connection tracking without a policy lookup, so no entry is needed for them.
 *
 * @param identity the endpoint's identity
 * @param ingressEnforced whether ingress traffic not allowed is dropped
 * @param egressEnforced whether egress traffic not allowed is dropped
 * @param entries the map entries, sorted
 */
public record EndpointPolicy(long identity, boolean ingressEnforced, boolean egressEnforced,
		SortedSet<MapEntry> entries) {

	public EndpointPolicy {
		entries = Collections.unmodifiableSortedSet(new TreeSet<>(entries));
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
		for (MapEntry entry : this.entries) {
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
