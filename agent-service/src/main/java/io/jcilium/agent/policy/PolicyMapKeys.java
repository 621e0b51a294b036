package io.jcilium.agent.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.model.Direction;

/**
 * Turns the policy engine's entries of one endpoint into the keys of its BPF policy map
 * (key to "deny"), so that the datapath's lookup gives the engine's verdict.
 * <p>
 * The engine's rule is "any matching deny wins". The datapath looks up the longest prefix
 * within the exact peer identity and within any-identity, and denies if either hit is a
 * deny. Across the two identities that already is "deny wins"; within one identity the
 * longest prefix hides a broader deny behind a narrower allow (allow TCP/80 under deny
 * all). Such a covered allow is therefore written as a deny, as upstream's map state does
 * when a deny entry covers an allow. A direction without enforcement gets the
 * any-identity, any-protocol allow entry.
 */
final class PolicyMapKeys {

	static final int STATIC_PREFIX = 40;

	static final int PROTOCOL_PREFIX = 48;

	private static final int ICMP = 1;

	private static final int ICMPV6 = 58;

	private PolicyMapKeys() {
	}

	/**
	 * The desired content of an endpoint's policy map.
	 * @param entries the engine's entries for the endpoint's identity
	 * @param ingressEnforced whether ingress is enforced
	 * @param egressEnforced whether egress is enforced
	 * @return every key and whether it denies
	 */
	static Map<PolicyKey, Boolean> desired(Iterable<MapEntry> entries, boolean ingressEnforced,
			boolean egressEnforced) {
		Map<PolicyKey, Boolean> keys = new HashMap<>();
		List<PolicyKey> denies = new ArrayList<>();
		for (MapEntry entry : entries) {
			PolicyKey key = key(entry);
			keys.merge(key, entry.deny(), Boolean::logicalOr);
			if (entry.deny()) {
				denies.add(key);
			}
		}
		if (!ingressEnforced) {
			keys.merge(allowAll(false), false, Boolean::logicalOr);
		}
		if (!egressEnforced) {
			keys.merge(allowAll(true), false, Boolean::logicalOr);
		}
		if (!denies.isEmpty()) {
			for (Map.Entry<PolicyKey, Boolean> key : keys.entrySet()) {
				if (!key.getValue() && coveredByDeny(key.getKey(), denies)) {
					key.setValue(true);
				}
			}
		}
		return keys;
	}

	/**
	 * The map key of an engine entry: the engine's port prefix (0-16 bits) follows the
	 * identity, direction and protocol bits; ICMP types sit in the port's high byte, any
	 * code.
	 * @param entry the entry
	 * @return the key
	 */
	static PolicyKey key(MapEntry entry) {
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

	static PolicyKey allowAll(boolean egress) {
		return new PolicyKey(0, egress, 0, 0, STATIC_PREFIX);
	}

	private static boolean coveredByDeny(PolicyKey allow, List<PolicyKey> denies) {
		for (PolicyKey deny : denies) {
			if (covers(deny, allow)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether {@code broad} matches everything {@code narrow} matches (same identity).
	 */
	static boolean covers(PolicyKey broad, PolicyKey narrow) {
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
