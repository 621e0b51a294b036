package io.jcilium.bgp.wire;

/**
 * The ORIGIN attribute's values (RFC 4271 section 5.1.1).
 */
public enum Origin {

	IGP, EGP, INCOMPLETE;

	/** The wire value. */
	public int code() {
		return ordinal();
	}

	/** The origin of a wire value, or {@code null} for an undefined one. */
	public static Origin fromCode(int code) {
		return (code >= 0 && code < values().length) ? values()[code] : null;
	}

}
