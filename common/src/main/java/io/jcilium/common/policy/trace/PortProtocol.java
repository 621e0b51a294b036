package io.jcilium.common.policy.trace;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.common.net.Protocol;

/**
 * A destination port and protocol to trace, written {@code 80/TCP}; for ICMP and ICMPv6
 * the number is the ICMP type ({@code 8/ICMP} is an echo request).
 *
 * @param port the port or ICMP type
 * @param protocol the protocol
 */
public record PortProtocol(int port, Protocol protocol) {

	public PortProtocol {
		if (protocol == Protocol.ANY) {
			throw new IllegalArgumentException("a traced port needs a concrete protocol, not ANY");
		}
		int max = (protocol == Protocol.ICMP || protocol == Protocol.ICMPV6) ? 255 : 65535;
		if (port < 0 || port > max) {
			throw new IllegalArgumentException(
					"port " + port + "/" + protocol.displayName() + " is out of range 0-" + max);
		}
	}

	/**
	 * Parse {@code 80/TCP}; a missing protocol means TCP.
	 * @param text the port and protocol
	 * @return the value
	 * @throws IllegalArgumentException naming the bad text
	 */
	public static PortProtocol parse(String text) {
		String trimmed = (text != null) ? text.trim() : "";
		int slash = trimmed.indexOf('/');
		String portText = (slash >= 0) ? trimmed.substring(0, slash) : trimmed;
		if (!portText.matches("\\d{1,5}")) {
			throw new IllegalArgumentException("'" + text + "' is not a port/protocol such as 80/TCP");
		}
		Protocol protocol = (slash >= 0) ? Protocol.parse(trimmed.substring(slash + 1)) : Protocol.TCP;
		return new PortProtocol(Integer.parseInt(portText), protocol);
	}

	/**
	 * Parse a comma-separated list such as {@code 80/TCP,81/UDP}.
	 * @param text the list
	 * @return the values in order
	 */
	public static List<PortProtocol> parseList(String text) {
		List<PortProtocol> out = new ArrayList<>();
		for (String part : text.split(",")) {
			if (!part.isBlank()) {
				out.add(parse(part));
			}
		}
		return out;
	}

	@Override
	public String toString() {
		return this.port + "/" + this.protocol.displayName();
	}

}
