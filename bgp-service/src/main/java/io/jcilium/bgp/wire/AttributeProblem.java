package io.jcilium.bgp.wire;

/**
 * A malformed attribute that RFC 7606 says must not reset the session, and what was done
 * instead.
 *
 * @param error the error RFC 4271 section 6.3 names for it
 * @param typeCode the attribute's type code (0 when the problem is the attribute list)
 * @param handling what RFC 7606 prescribes
 */
public record AttributeProblem(BgpError error, int typeCode, Handling handling) {

	/** RFC 7606 section 2's approaches that keep the session up. */
	public enum Handling {

		/** Every prefix of the UPDATE is treated as withdrawn (RFC 7606 section 2). */
		TREAT_AS_WITHDRAW,

		/** The attribute is dropped and the UPDATE processed without it. */
		ATTRIBUTE_DISCARD

	}

}
