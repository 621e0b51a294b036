package io.jcilium.common.policy.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.jcilium.common.net.PortRange;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.model.PortRule;

/**
 * Port, named port and ICMP terms of both policy dialects.
 */
final class Ports {

	// Kubernetes IANA_SVC_NAME: lower-case letters, digits and '-', at most 15, with a
	// letter.
	private static final String PORT_NAME = "(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?";

	private static final Map<String, Integer> ICMPV4_TYPES = Map.of("echoreply", 0, "destinationunreachable", 3,
			"redirect", 5, "echorequest", 8, "timeexceeded", 11, "parameterproblem", 12, "timestamp", 13,
			"timestampreply", 14);

	private static final Map<String, Integer> ICMPV6_TYPES = Map.of("destinationunreachable", 1, "packettoobig", 2,
			"timeexceeded", 3, "parameterproblem", 4, "echorequest", 128, "echoreply", 129, "neighborsolicitation", 135,
			"neighboradvertisement", 136);

	private Ports() {
	}

	/**
	 * A port term: {@code port} (number, name or absent), optional {@code endPort},
	 * protocol.
	 * @param node the port object
	 * @param protocolDefault protocol when none is written (ANY for Cilium, TCP for
	 * NetworkPolicy)
	 * @param allowAny whether protocol {@code ANY} may be written
	 * @return the port rule
	 */
	static PortRule port(Node node, Protocol protocolDefault, boolean allowAny) {
		Node protocolNode = node.get("protocol");
		Protocol protocol = (protocolNode.isNull()) ? protocolDefault : protocolNode.convert((n) -> {
			Protocol parsed = Protocol.parse(n.string());
			if (parsed == Protocol.ICMP || parsed == Protocol.ICMPV6 || (!allowAny && parsed == Protocol.ANY)) {
				throw new IllegalArgumentException("unsupported protocol '" + n.string() + "' for ports, use "
						+ (allowAny ? "TCP, UDP, SCTP or ANY (ICMP goes under icmps)" : "TCP, UDP or SCTP"));
			}
			return parsed;
		});
		Node portNode = node.get("port");
		String portText = portNode.isNull() ? "0" : portNode.string().trim();
		Integer endPort = node.get("endPort").integer();
		if (!portText.matches("\\d+")) {
			if (!portText.matches(PORT_NAME)) {
				throw portNode.error("'" + portText + "' is neither a port number nor a valid port name "
						+ "(lower-case letters, digits and '-', at most 15 characters)");
			}
			if (endPort != null && endPort != 0) {
				throw node.get("endPort").error("endPort cannot be used with the named port '" + portText + "'");
			}
			return PortRule.named(protocol, portText);
		}
		int port = portNode.convert((n) -> parsePort(portText));
		int end = (endPort != null) ? endPort : 0;
		PortRange range = node.get(endPort != null ? "endPort" : "port").convert((n) -> new PortRange(port, end));
		return PortRule.ports(protocol, range);
	}

	/**
	 * The {@code icmps} list of a Cilium rule.
	 * @param icmps the list node
	 * @return one rule per ICMP field
	 */
	static List<PortRule> icmps(Node icmps) {
		List<PortRule> rules = new ArrayList<>();
		for (Node icmp : icmps.list()) {
			for (Node field : icmp.get("fields").list()) {
				Node familyNode = field.get("family");
				String family = familyNode.isNull() ? "IPv4" : familyNode.string();
				boolean v6;
				if (family.equalsIgnoreCase("IPv4")) {
					v6 = false;
				}
				else if (family.equalsIgnoreCase("IPv6")) {
					v6 = true;
				}
				else {
					throw familyNode.error("unknown ICMP family '" + family + "', use IPv4 or IPv6");
				}
				int type = field.get("type").convert((n) -> icmpType(n.requiredString(), v6));
				rules.add(PortRule.icmp(v6 ? Protocol.ICMPV6 : Protocol.ICMP, type));
			}
		}
		return rules;
	}

	private static int icmpType(String text, boolean v6) {
		if (text.matches("\\d{1,3}")) {
			int type = Integer.parseInt(text);
			if (type > 255) {
				throw new IllegalArgumentException("ICMP type " + type + " is out of range: it must be from 0 to 255");
			}
			return type;
		}
		Integer type = (v6 ? ICMPV6_TYPES : ICMPV4_TYPES).get(text.toLowerCase(Locale.ROOT));
		if (type == null) {
			throw new IllegalArgumentException("unknown ICMP" + (v6 ? "v6" : "") + " type '" + text + "'");
		}
		return type;
	}

	private static int parsePort(String text) {
		if (text.length() > 5 || Integer.parseInt(text) > 65535) {
			throw new IllegalArgumentException("port " + text + " is out of range: it must be from 0 to 65535");
		}
		return Integer.parseInt(text);
	}

}
