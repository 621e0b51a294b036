package io.jcilium.agent.hubble.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.flow.IPVersion;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.TCPFlags;
import io.jcilium.common.net.Cidr;

/**
 * Filters on addresses and L4: source/destination IP or CIDR, ports, protocol, TCP flags
 * and IP version.
 */
final class NetworkFilters {

	private NetworkFilters() {
	}

	static void add(String path, FlowFilter filter, List<Predicate<Flow>> parts) {
		ips(path + ".source_ip", filter.getSourceIpList(), (flow) -> flow.getIP().getSource(), parts);
		ips(path + ".destination_ip", filter.getDestinationIpList(), (flow) -> flow.getIP().getDestination(), parts);
		ports(path + ".source_port", filter.getSourcePortList(), NetworkFilters::sourcePort, parts);
		ports(path + ".destination_port", filter.getDestinationPortList(), NetworkFilters::destinationPort, parts);
		if (filter.getProtocolCount() > 0) {
			List<Predicate<Layer4>> any = new ArrayList<>();
			for (String protocol : filter.getProtocolList()) {
				any.add(protocol(path + ".protocol", protocol));
			}
			parts.add((flow) -> any.stream().anyMatch((p) -> p.test(flow.getL4())));
		}
		if (filter.getTcpFlagsCount() > 0) {
			List<TCPFlags> wanted = filter.getTcpFlagsList();
			parts.add((flow) -> flow.getL4().hasTCP()
					&& wanted.stream().anyMatch((flags) -> includes(flow.getL4().getTCP().getFlags(), flags)));
		}
		if (filter.getIpVersionCount() > 0) {
			Set<IPVersion> versions = Set.copyOf(filter.getIpVersionList());
			parts.add((flow) -> flow.hasIP() && versions.contains(flow.getIP().getIpVersion()));
		}
	}

	private static void ips(String field, List<String> texts, Function<Flow, String> address,
			List<Predicate<Flow>> parts) {
		if (texts.isEmpty()) {
			return;
		}
		List<Cidr> prefixes = new ArrayList<>();
		for (String text : texts) {
			try {
				prefixes.add(Cidr.parse(text.strip()));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidFilterException(field,
						"'" + text + "' is neither an IP address nor a CIDR: " + ex.getMessage());
			}
		}
		parts.add((flow) -> {
			String ip = address.apply(flow);
			return !ip.isEmpty() && prefixes.stream().anyMatch((prefix) -> prefix.contains(ip));
		});
	}

	private static void ports(String field, List<String> texts, Function<Flow, Integer> port,
			List<Predicate<Flow>> parts) {
		if (texts.isEmpty()) {
			return;
		}
		Set<Integer> wanted = new java.util.HashSet<>();
		for (String text : texts) {
			try {
				int value = Integer.parseInt(text.strip());
				if (value < 0 || value > 65535) {
					throw new NumberFormatException();
				}
				wanted.add(value);
			}
			catch (NumberFormatException ex) {
				throw new InvalidFilterException(field, "'" + text + "' is not a port number (0-65535)");
			}
		}
		parts.add((flow) -> {
			Integer value = port.apply(flow);
			return value != null && wanted.contains(value);
		});
	}

	private static Predicate<Layer4> protocol(String field, String text) {
		return switch (text.strip().toLowerCase(Locale.ROOT)) {
			case "tcp" -> Layer4::hasTCP;
			case "udp" -> Layer4::hasUDP;
			case "sctp" -> Layer4::hasSCTP;
			case "icmp" -> (l4) -> l4.hasICMPv4() || l4.hasICMPv6();
			case "icmpv4" -> Layer4::hasICMPv4;
			case "icmpv6" -> Layer4::hasICMPv6;
			// L7 protocols upstream knows: this agent sees no L7 flows, so they match
			// nothing.
			case "http", "dns", "kafka" -> (l4) -> false;
			default -> throw new InvalidFilterException(field,
					"unknown protocol '" + text + "'; use tcp, udp, sctp, icmp, icmpv4, icmpv6, http, dns or kafka");
		};
	}

	private static boolean includes(TCPFlags actual, TCPFlags wanted) {
		return (!wanted.getFIN() || actual.getFIN()) && (!wanted.getSYN() || actual.getSYN())
				&& (!wanted.getRST() || actual.getRST()) && (!wanted.getPSH() || actual.getPSH())
				&& (!wanted.getACK() || actual.getACK()) && (!wanted.getURG() || actual.getURG())
				&& (!wanted.getECE() || actual.getECE()) && (!wanted.getCWR() || actual.getCWR())
				&& (!wanted.getNS() || actual.getNS());
	}

	private static Integer sourcePort(Flow flow) {
		Layer4 l4 = flow.getL4();
		if (l4.hasTCP()) {
			return l4.getTCP().getSourcePort();
		}
		if (l4.hasUDP()) {
			return l4.getUDP().getSourcePort();
		}
		return l4.hasSCTP() ? l4.getSCTP().getSourcePort() : null;
	}

	private static Integer destinationPort(Flow flow) {
		Layer4 l4 = flow.getL4();
		if (l4.hasTCP()) {
			return l4.getTCP().getDestinationPort();
		}
		if (l4.hasUDP()) {
			return l4.getUDP().getDestinationPort();
		}
		return l4.hasSCTP() ? l4.getSCTP().getDestinationPort() : null;
	}

}
