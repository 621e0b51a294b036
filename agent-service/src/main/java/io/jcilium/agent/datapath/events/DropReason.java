package io.jcilium.agent.datapath.events;

/**
 * Drop reasons the datapath reports, with upstream Cilium's numbers and Hubble names
 * ({@code flow.proto DropReason}), so flows read the same as upstream's.
 */
public enum DropReason {

	INVALID_SOURCE_MAC(130),

	INVALID_SOURCE_IP(132),

	POLICY_DENIED(133),

	INVALID_PACKET_DROPPED(134),

	CT_TRUNCATED_OR_INVALID_HEADER(135),

	CT_UNKNOWN_L4_PROTOCOL(137),

	UNSUPPORTED_L3_PROTOCOL(139),

	UNKNOWN_L4_PROTOCOL(142),

	UNKNOWN_ICMPV4_TYPE(144),

	UNKNOWN_ICMPV6_TYPE(146),

	CT_MAP_INSERTION_FAILED(155),

	INVALID_IPV6_EXTENSION_HEADER(156),

	IP_FRAGMENTATION_NOT_SUPPORTED(157),

	NO_CONFIGURATION_AVAILABLE_TO_PERFORM_POLICY_DECISION(165),

	FIRST_LOGICAL_DATAGRAM_FRAGMENT_NOT_FOUND(175),

	POLICY_DENY(181),

	/** A number this agent does not know (newer datapath). */
	UNKNOWN(0);

	private final int code;

	DropReason(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
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
