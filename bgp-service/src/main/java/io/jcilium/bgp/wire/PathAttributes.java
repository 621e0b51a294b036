package io.jcilium.bgp.wire;

import java.util.List;

/**
 * The path attributes of an UPDATE this speaker understands (RFC 4271 section 5, RFC 1997
 * COMMUNITIES, RFC 4760 MP_REACH/MP_UNREACH). A component is {@code null} (or empty) when
 * the attribute is absent.
 *
 * @param origin ORIGIN
 * @param asPath AS_PATH segments, with four-octet ASNs when negotiated (RFC 6793)
 * @param nextHop NEXT_HOP, 4 bytes
 * @param med MULTI_EXIT_DISC
 * @param localPref LOCAL_PREF
 * @param communities COMMUNITIES, each an unsigned 32-bit value
 * @param mpReach MP_REACH_NLRI
 * @param mpUnreach MP_UNREACH_NLRI
 */
public record PathAttributes(Origin origin, List<AsPathSegment> asPath, byte[] nextHop, Long med, Long localPref,
		List<Long> communities, MpReach mpReach, MpUnreach mpUnreach) {

	/** No attributes at all. */
	public static final PathAttributes NONE = new PathAttributes(null, null, null, null, null, List.of(), null, null);

	public PathAttributes {
		asPath = (asPath != null) ? List.copyOf(asPath) : null;
		nextHop = (nextHop != null) ? nextHop.clone() : null;
		communities = List.copyOf(communities);
	}

	/** Attribute type codes (IANA "BGP Path Attributes" registry). */
	static final int ORIGIN = 1;

	static final int AS_PATH = 2;

	static final int NEXT_HOP = 3;

	static final int MULTI_EXIT_DISC = 4;

	static final int LOCAL_PREF = 5;

	static final int ATOMIC_AGGREGATE = 6;

	static final int AGGREGATOR = 7;

	static final int COMMUNITIES = 8;

	static final int MP_REACH_NLRI = 14;

	static final int MP_UNREACH_NLRI = 15;

	static final int AS4_PATH = 17;

	static final int AS4_AGGREGATOR = 18;

	/** Attribute flag bits (RFC 4271 section 4.3). */
	static final int FLAG_OPTIONAL = 0x80;

	static final int FLAG_TRANSITIVE = 0x40;

	static final int FLAG_PARTIAL = 0x20;

	static final int FLAG_EXTENDED_LENGTH = 0x10;

}
