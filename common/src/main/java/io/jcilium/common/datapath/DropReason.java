package io.jcilium.common.datapath;

/**
 * Drop reasons the datapath reports, with upstream Cilium's numbers, Hubble names
 * ({@code flow.proto DropReason}) and descriptions (upstream's {@code pkg/monitor/api}
 * table, what {@code hubble observe} prints), so flows read the same as upstream's.
 */
public enum DropReason {

	INVALID_SOURCE_MAC(130, "Invalid source mac"),

	INVALID_SOURCE_IP(132, "Invalid source ip"),

	POLICY_DENIED(133, "Policy denied"),

	INVALID_PACKET_DROPPED(134, "Invalid packet"),

	CT_TRUNCATED_OR_INVALID_HEADER(135, "CT: Truncated or invalid header"),

	CT_UNKNOWN_L4_PROTOCOL(137, "CT: Unknown L4 protocol"),

	UNSUPPORTED_L3_PROTOCOL(139, "Unsupported L3 protocol"),

	UNKNOWN_L4_PROTOCOL(142, "Unknown L4 protocol"),

	UNKNOWN_ICMPV4_TYPE(144, "Unknown ICMPv4 type"),

	UNKNOWN_ICMPV6_TYPE(146, "Unknown ICMPv6 type"),

	ERROR_RETRIEVING_TUNNEL_KEY(147, "Error retrieving tunnel key"),

	STALE_OR_UNROUTABLE_IP(151, "Stale or unroutable IP"),

	CT_MAP_INSERTION_FAILED(155, "CT: Map insertion failed"),

	INVALID_IPV6_EXTENSION_HEADER(156, "Invalid IPv6 extension header"),

	IP_FRAGMENTATION_NOT_SUPPORTED(157, "IP fragmentation not supported"),

	NO_TUNNEL_OR_ENCAPSULATION_ENDPOINT(160, "No tunnel/encapsulation endpoint (datapath BUG!)"),

	NO_CONFIGURATION_AVAILABLE_TO_PERFORM_POLICY_DECISION(165, "No configuration available to perform policy decision"),

	INVALID_IDENTITY(171, "Invalid identity"),

	UNKNOWN_SENDER(172, "Unknown sender"),

	FIRST_LOGICAL_DATAGRAM_FRAGMENT_NOT_FOUND(175, "First logical datagram fragment not found"),

	POLICY_DENY(181, "Policy denied by denylist"),

	/** A number this agent does not know (newer datapath). */
	UNKNOWN(0, null);

	private final int code;

	private final String description;

	DropReason(int code, String description) {
		this.code = code;
		this.description = description;
	}

	public int code() {
		return this.code;
	}

	/**
	 * Upstream's description of the reason, e.g. {@code Policy denied}.
	 * @return the text; for {@link #UNKNOWN} the number is not known here, see
	 * {@link #describe(int)}
	 */
	public String description() {
		return (this.description != null) ? this.description : "Unknown drop reason";
	}

	/**
	 * Describes a reason number as upstream does: its text, or the number itself when it
	 * has none.
	 * @param code the number from an event or a flow
	 * @return the description
	 */
	public static String describe(int code) {
		DropReason reason = fromCode(code);
		return (reason != UNKNOWN) ? reason.description : Integer.toString(code);
	}

	/**
	 * Decodes a reason number.
	 * @param code the number from an event or metric
	 * @return the reason, {@link #UNKNOWN} if not known
	 */
	public static DropReason fromCode(int code) {
		for (DropReason reason : values()) {
			if (reason.code == code) {
				return reason;
			}
		}
		return UNKNOWN;
	}

}
