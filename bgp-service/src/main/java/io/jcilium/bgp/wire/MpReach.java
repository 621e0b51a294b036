package io.jcilium.bgp.wire;

import java.util.List;

/**
 * MP_REACH_NLRI (RFC 4760 section 3).
 *
 * @param family the family of the next hop and NLRI
 * @param nextHop the next hop: 4 bytes, or 16 or 32 (global and link-local) for IPv6
 * @param nlri the reachable prefixes
 */
public record MpReach(AddressFamily family, byte[] nextHop, List<Prefix> nlri) {

	public MpReach {
		nextHop = nextHop.clone();
		nlri = List.copyOf(nlri);
	}

}
