package io.jcilium.agent.hubble.enrich;

import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.model.Direction;

/**
 * The policy entry that decided a new connection, by the rule the datapath's map is
 * written to keep (see the agent's {@code PolicyKeyState}): any matching deny wins over
 * any allow; among the entries of the winning kind the one for the peer's identity comes
 * before the one for any identity, and the longest prefix (a protocol before any
 * protocol, then more port bits) before a shorter one, as {@code policy_check} in
 * {@code bpf/lib/policy.h} looks them up.
 */
final class PolicyLookup {

	/** Bits of the policy key after the identity and direction: protocol, then port. */
	private static final int PROTOCOL_BITS = 8;

	private PolicyLookup() {
	}

	/**
	 * The deciding entry.
	 * @return the entry, or {@code null} when none matches (the default decides)
	 */
	static MapEntry decisive(EndpointPolicy policy, Direction direction, long peer, int protocol, int port) {
		// [deny][peer]: 0 any identity, 1 the peer's identity
		MapEntry[][] best = new MapEntry[2][2];
		for (MapEntry entry : policy.entries()) {
			if (entry.direction() != direction || !entry.matches(peer, protocol, port)) {
				continue;
			}
			int kind = entry.deny() ? 1 : 0;
			int exact = (entry.peer() != 0) ? 1 : 0;
			MapEntry current = best[kind][exact];
			if (current == null || prefix(entry) > prefix(current)) {
				best[kind][exact] = entry;
			}
		}
		MapEntry[] winning = (best[1][0] != null || best[1][1] != null) ? best[1] : best[0];
		return (winning[1] != null) ? winning[1] : winning[0];
	}

	private static int prefix(MapEntry entry) {
		return (entry.protocol() == 0) ? 0 : PROTOCOL_BITS + entry.prefixLength();
	}

}
