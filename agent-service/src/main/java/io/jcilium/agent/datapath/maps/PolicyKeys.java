package io.jcilium.agent.datapath.maps;

import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.model.Direction;

/**
 * The one encoder of policy entries into the keys of an endpoint's BPF policy map
 * ({@code struct policy_key}, an LPM trie): the prefix length counts the identity and
 * direction bits ({@value #STATIC_PREFIX}), then the protocol
 * ({@value #PROTOCOL_PREFIX}), then the port bits the entry matches. ICMP types sit in
 * the port's high byte, any code, as upstream encodes them. Port ranges arrive already
 * split into prefixes by the policy engine (common's {@code PortRange.masks()}, the one
 * splitter).
 */
public final class PolicyKeys {

	/** Prefix bits of identity and direction: a key matching any protocol. */
	public static final int STATIC_PREFIX = 40;

	/** Prefix bits up to and including the protocol: a key matching any port. */
	public static final int PROTOCOL_PREFIX = 48;

	private static final int ICMP = 1;

	private static final int ICMPV6 = 58;

	private PolicyKeys() {
	}

	/**
	 * The map key of a policy entry.
	 * @param entry the entry
	 * @return the key
	 * @throws IllegalArgumentException if the peer identity does not fit 32 bits
	 */
	public static PolicyKey key(MapEntry entry) {
		if (entry.peer() < 0 || entry.peer() > 0xffffffffL) {
			throw new IllegalArgumentException("peer identity " + entry.peer() + " does not fit the policy map");
		}
		int identity = (int) entry.peer();
		boolean egress = entry.direction() == Direction.EGRESS;
		if (entry.protocol() == 0) {
			return new PolicyKey(identity, egress, 0, 0, STATIC_PREFIX);
		}
		if (entry.protocol() == ICMP || entry.protocol() == ICMPV6) {
			int bits = (entry.prefixLength() == 0) ? 0 : 8;
			int port = (bits == 0) ? 0 : (entry.port() & 0xff) << 8;
			return new PolicyKey(identity, egress, entry.protocol(), port, PROTOCOL_PREFIX + bits);
		}
		return new PolicyKey(identity, egress, entry.protocol(), entry.port(), PROTOCOL_PREFIX + entry.prefixLength());
	}

	/**
	 * The key of everything in one direction from or to any identity (a direction without
	 * enforcement).
	 * @param egress the direction
	 * @return the key
	 */
	public static PolicyKey allowAll(boolean egress) {
		return new PolicyKey(0, egress, 0, 0, STATIC_PREFIX);
	}

	/**
	 * Whether {@code broad} matches everything {@code narrow} matches (same identity and
	 * direction, shorter or equal prefix agreeing on its bits).
	 * @param broad the possibly covering key
	 * @param narrow the possibly covered key
	 * @return whether it covers
	 */
	public static boolean covers(PolicyKey broad, PolicyKey narrow) {
		if (broad.identity() != narrow.identity() || broad.egress() != narrow.egress()
				|| broad.prefixLength() > narrow.prefixLength()) {
			return false;
		}
		if (broad.prefixLength() <= STATIC_PREFIX) {
			return true;
		}
		if (broad.protocol() != narrow.protocol()) {
			return false;
		}
		int portBits = broad.prefixLength() - PROTOCOL_PREFIX;
		int mask = (portBits == 0) ? 0 : (0xffff << (16 - portBits)) & 0xffff;
		return (narrow.port() & mask) == (broad.port() & mask);
	}

}
