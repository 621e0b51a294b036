package io.jcilium.bgp.wire;

import io.jcilium.bgp.wire.AttributeProblem.Handling;

/**
 * The path attributes this speaker recognizes: their flags (RFC 4271 section 5, RFC 4760,
 * RFC 1997, RFC 6793) and the RFC 7606 section 7 treatment when one is malformed.
 */
enum AttributeKind {

	ORIGIN(PathAttributes.ORIGIN, false, true), AS_PATH(PathAttributes.AS_PATH, false, true),
	NEXT_HOP(PathAttributes.NEXT_HOP, false, true), MULTI_EXIT_DISC(PathAttributes.MULTI_EXIT_DISC, true, false),
	LOCAL_PREF(PathAttributes.LOCAL_PREF, false, true), ATOMIC_AGGREGATE(PathAttributes.ATOMIC_AGGREGATE, false, true),
	AGGREGATOR(PathAttributes.AGGREGATOR, true, true), COMMUNITIES(PathAttributes.COMMUNITIES, true, true),
	MP_REACH_NLRI(PathAttributes.MP_REACH_NLRI, true, false),
	MP_UNREACH_NLRI(PathAttributes.MP_UNREACH_NLRI, true, false), AS4_PATH(PathAttributes.AS4_PATH, true, true),
	AS4_AGGREGATOR(PathAttributes.AS4_AGGREGATOR, true, true);

	private final int code;

	private final boolean optional;

	private final boolean transitive;

	AttributeKind(int code, boolean optional, boolean transitive) {
		this.code = code;
		this.optional = optional;
		this.transitive = transitive;
	}

	int code() {
		return this.code;
	}

	static AttributeKind of(int code) {
		for (AttributeKind kind : values()) {
			if (kind.code == code) {
				return kind;
			}
		}
		return null;
	}

	/**
	 * Whether the Optional and Transitive bits are those the attribute's definition
	 * fixes.
	 */
	boolean flagsMatch(int flags) {
		boolean optionalBit = (flags & PathAttributes.FLAG_OPTIONAL) != 0;
		boolean transitiveBit = (flags & PathAttributes.FLAG_TRANSITIVE) != 0;
		return optionalBit == this.optional && transitiveBit == this.transitive;
	}

	/**
	 * What RFC 7606 section 7 prescribes when this attribute is malformed, or
	 * {@code null} for a session reset (MP_REACH_NLRI and MP_UNREACH_NLRI: their NLRI
	 * cannot be located, section 7.11).
	 * @param internal whether the session is iBGP (LOCAL_PREF, section 7.5)
	 */
	Handling handling(boolean internal) {
		return switch (this) {
			case MP_REACH_NLRI, MP_UNREACH_NLRI -> null;
			case ATOMIC_AGGREGATE, AGGREGATOR, AS4_PATH, AS4_AGGREGATOR -> Handling.ATTRIBUTE_DISCARD;
			case LOCAL_PREF -> internal ? Handling.TREAT_AS_WITHDRAW : Handling.ATTRIBUTE_DISCARD;
			default -> Handling.TREAT_AS_WITHDRAW;
		};
	}

}
