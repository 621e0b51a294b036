package io.jcilium.bgp.wire;

import java.util.List;

/**
 * One AS_PATH segment (RFC 4271 section 4.3): an AS_SET or an AS_SEQUENCE of ASNs.
 *
 * @param type {@link #AS_SET} or {@link #AS_SEQUENCE}
 * @param asns the segment's ASNs, unsigned 32-bit values
 */
public record AsPathSegment(int type, List<Long> asns) {

	public static final int AS_SET = 1;

	public static final int AS_SEQUENCE = 2;

	/** The most ASNs one segment holds: its count is one octet. */
	public static final int MAX_ASNS = 255;

	public AsPathSegment {
		asns = List.copyOf(asns);
	}

	/** An AS_SEQUENCE. */
	public static AsPathSegment sequence(List<Long> asns) {
		return new AsPathSegment(AS_SEQUENCE, asns);
	}

}
