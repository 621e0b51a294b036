package io.jcilium.common.net;

import java.util.Arrays;
import java.util.Locale;

/**
 * The L4 protocols a policy can name, with their IANA protocol numbers (the numbers the
 * datapath's policy map keys carry; 0 means any protocol).
 */
public enum Protocol {

	/** Any protocol (Cilium's {@code ANY}). */
	ANY(0),

	/** ICMP (IPv4). */
	ICMP(1),

	/** TCP. */
	TCP(6),

	/** UDP. */
	UDP(17),

	/** ICMPv6. */
	ICMPV6(58),

	/** SCTP. */
	SCTP(132);

	private final int code;

	Protocol(int code) {
		this.code = code;
	}

	/**
	 * The IANA protocol number.
	 * @return the number
	 */
	public int code() {
		return this.code;
	}

	/**
	 * The protocol with this number.
	 * @param code IANA protocol number
	 * @return the protocol
	 * @throws IllegalArgumentException if no supported protocol has this number
	 */
	public static Protocol fromCode(int code) {
		for (Protocol protocol : values()) {
			if (protocol.code == code) {
				return protocol;
			}
		}
		throw new IllegalArgumentException("unsupported protocol number " + code + ", supported: " + describe());
	}

	/**
	 * Parse a protocol as policies write it ({@code TCP}, {@code udp}, {@code ICMPv6},
	 * {@code ANY}); case does not matter.
	 * @param text the protocol name
	 * @return the protocol
	 * @throws IllegalArgumentException naming the text and the supported protocols
	 */
	public static Protocol parse(String text) {
		if (text != null) {
			String upper = text.trim().toUpperCase(Locale.ROOT);
			for (Protocol protocol : values()) {
				if (protocol.name().equals(upper)) {
					return protocol;
				}
			}
		}
		throw new IllegalArgumentException("unknown protocol '" + text + "', supported: " + describe());
	}

	/**
	 * The name as policies write it, e.g. {@code ICMPv6}.
	 * @return the display name
	 */
	public String displayName() {
		return (this == ICMPV6) ? "ICMPv6" : name();
	}

	private static String describe() {
		return Arrays.stream(values()).map((p) -> p.displayName() + "=" + p.code).toList().toString();
	}

}
