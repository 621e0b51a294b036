package io.jcilium.bgp.wire;

/**
 * The NOTIFICATION error code and subcode pairs this speaker sends or names (RFC 4271
 * section 4.5 and 6, RFC 4486 Cease subcodes, RFC 5492, RFC 6608 FSM subcodes, RFC 7313
 * ROUTE-REFRESH).
 */
public enum BgpError {

	CONNECTION_NOT_SYNCHRONIZED(1, 1), BAD_MESSAGE_LENGTH(1, 2), BAD_MESSAGE_TYPE(1, 3),

	OPEN_UNSPECIFIC(2, 0), UNSUPPORTED_VERSION_NUMBER(2, 1), BAD_PEER_AS(2, 2), BAD_BGP_IDENTIFIER(2, 3),
	UNSUPPORTED_OPTIONAL_PARAMETER(2, 4), UNACCEPTABLE_HOLD_TIME(2, 6), UNSUPPORTED_CAPABILITY(2, 7),

	MALFORMED_ATTRIBUTE_LIST(3, 1), UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE(3, 2), MISSING_WELL_KNOWN_ATTRIBUTE(3, 3),
	ATTRIBUTE_FLAGS_ERROR(3, 4), ATTRIBUTE_LENGTH_ERROR(3, 5), INVALID_ORIGIN_ATTRIBUTE(3, 6),
	INVALID_NEXT_HOP_ATTRIBUTE(3, 8), OPTIONAL_ATTRIBUTE_ERROR(3, 9), INVALID_NETWORK_FIELD(3, 10),
	MALFORMED_AS_PATH(3, 11),

	HOLD_TIMER_EXPIRED(4, 0),

	FSM_UNSPECIFIC(5, 0), FSM_UNEXPECTED_IN_OPEN_SENT(5, 1), FSM_UNEXPECTED_IN_OPEN_CONFIRM(5, 2),
	FSM_UNEXPECTED_IN_ESTABLISHED(5, 3),

	CEASE_MAXIMUM_PREFIXES(6, 1), CEASE_ADMINISTRATIVE_SHUTDOWN(6, 2), CEASE_PEER_DECONFIGURED(6, 3),
	CEASE_ADMINISTRATIVE_RESET(6, 4), CEASE_CONNECTION_REJECTED(6, 5), CEASE_OTHER_CONFIGURATION_CHANGE(6, 6),
	CEASE_CONNECTION_COLLISION_RESOLUTION(6, 7), CEASE_OUT_OF_RESOURCES(6, 8),

	ROUTE_REFRESH_INVALID_MESSAGE_LENGTH(7, 1);

	private final int code;

	private final int subcode;

	BgpError(int code, int subcode) {
		this.code = code;
		this.subcode = subcode;
	}

	public int code() {
		return this.code;
	}

	public int subcode() {
		return this.subcode;
	}

	/**
	 * The error of a code/subcode pair, or {@code null} when this speaker does not name
	 * it.
	 */
	public static BgpError fromCodes(int code, int subcode) {
		for (BgpError error : values()) {
			if (error.code == code && error.subcode == subcode) {
				return error;
			}
		}
		return null;
	}

}
