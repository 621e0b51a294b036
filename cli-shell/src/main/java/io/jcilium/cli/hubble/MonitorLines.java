package io.jcilium.cli.hubble;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.TCPFlags;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.common.datapath.DropReason;
import io.jcilium.common.datapath.PolicyMatchType;

/**
 * Flows as upstream's {@code cilium-dbg monitor} prints datapath events, one line each:
 * <pre>
 * -&gt; endpoint 12 flow 0x0 , identity 48861-&gt;18965 state new ifindex 31 orig-ip 0.0.0.0: 10.0.1.7:40000 -&gt; 10.0.0.5:80 tcp SYN
 * xx drop (Policy denied) flow 0x0 to endpoint 12, ifindex 31, file -:0, , identity 48861-&gt;18965: 10.0.1.7:40000 -&gt; 10.0.0.5:80 tcp SYN
 * Policy verdict log: flow 0x0 local EP ID 12, remote ID 48861, proto 6, ingress, action deny, auth: disabled, match none, 10.0.1.7:40000 -&gt; 10.0.0.5:80 tcp SYN
 * </pre> Our events carry no flow hash, original address or source file and line: those
 * print as upstream prints them when unset ({@code 0x0}, {@code 0.0.0.0}) and
 * {@code -:0}.
 */
final class MonitorLines {

	static final int DROP = 1;

	static final int TRACE = 4;

	static final int POLICY_VERDICT = 5;

	private MonitorLines() {
	}

	static String line(Flow flow) {
		return switch (flow.getEventType().getType()) {
			case TRACE -> trace(flow);
			case DROP -> drop(flow);
			case POLICY_VERDICT -> verdict(flow);
			default -> "unknown event type " + flow.getEventType().getType() + ": " + connection(flow);
		};
	}

	private static String trace(Flow flow) {
		return summary(flow) + " flow 0x0 , identity " + identities(flow) + " state " + state(flow) + " ifindex "
				+ ifindex(flow) + " orig-ip " + (isIpv6(flow) ? "::" : "0.0.0.0") + ": " + connection(flow);
	}

	private static String drop(Flow flow) {
		return "xx drop (" + DropReason.describe(flow.getDropReason()) + ") flow 0x0 to endpoint "
				+ flow.getDestination().getID() + ", ifindex " + ifindex(flow) + ", file -:0, , identity "
				+ identities(flow) + ": " + connection(flow);
	}

	private static String verdict(Flow flow) {
		boolean egress = flow.getTrafficDirection() == TrafficDirection.EGRESS;
		int local = egress ? flow.getSource().getID() : flow.getDestination().getID();
		int remote = egress ? flow.getDestination().getIdentity() : flow.getSource().getIdentity();
		return "Policy verdict log: flow 0x0 local EP ID " + local + ", remote ID " + Integer.toUnsignedString(remote)
				+ ", proto " + protocolNumber(flow) + ", " + (egress ? "egress" : "ingress") + ", action "
				+ action(flow.getVerdict()) + ", auth: disabled, match "
				+ PolicyMatchType.name(flow.getPolicyMatchType()) + ", " + connection(flow);
	}

	/** Where the packet was seen, as upstream's trace summary. */
	private static String summary(Flow flow) {
		return switch (flow.getTraceObservationPoint()) {
			case TO_ENDPOINT -> "-> endpoint " + flow.getDestination().getID();
			case FROM_ENDPOINT -> "<- endpoint " + flow.getSource().getID();
			case TO_PROXY -> "-> proxy";
			case FROM_PROXY -> "<- proxy";
			case TO_HOST -> "-> host from";
			case FROM_HOST -> "<- host";
			case TO_STACK -> "-> stack";
			case FROM_STACK -> "<- stack";
			case TO_OVERLAY -> "-> overlay";
			case FROM_OVERLAY -> "<- overlay";
			case TO_NETWORK -> "-> network";
			case FROM_NETWORK -> "<- network";
			default -> "unknown trace";
		};
	}

	private static String state(Flow flow) {
		return switch (flow.getTraceReason()) {
			case NEW -> "new";
			case ESTABLISHED -> "established";
			case REPLY -> "reply";
			case RELATED -> "related";
			case REOPENED -> "reopened";
			default -> "unknown";
		};
	}

	private static String identities(Flow flow) {
		return Integer.toUnsignedString(flow.getSource().getIdentity()) + "->"
				+ Integer.toUnsignedString(flow.getDestination().getIdentity());
	}

	private static String ifindex(Flow flow) {
		if (!flow.getInterface().getName().isEmpty()) {
			return flow.getInterface().getName();
		}
		return Integer.toString(flow.getInterface().getIndex());
	}

	private static boolean isIpv6(Flow flow) {
		return flow.getIP().getSource().contains(":");
	}

	private static String action(Verdict verdict) {
		return switch (verdict) {
			case FORWARDED -> "allow";
			case REDIRECTED -> "redirect";
			case AUDIT -> "audit";
			default -> "deny";
		};
	}

	private static int protocolNumber(Flow flow) {
		return switch (flow.getL4().getProtocolCase()) {
			case TCP -> 6;
			case UDP -> 17;
			case ICMPV4 -> 1;
			case ICMPV6 -> 58;
			case SCTP -> 132;
			default -> 0;
		};
	}

	/**
	 * Upstream's connection summary: {@code sIP:sPort -> dIP:dPort tcp SYN, ACK},
	 * {@code sIP -> dIP EchoRequest} for ICMP, addresses only for anything else.
	 */
	static String connection(Flow flow) {
		String source = flow.getIP().getSource();
		String destination = flow.getIP().getDestination();
		if (source.isEmpty() && destination.isEmpty()) {
			return "[unknown]";
		}
		Layer4 l4 = flow.getL4();
		return switch (l4.getProtocolCase()) {
			case TCP -> hostPort(source, l4.getTCP().getSourcePort()) + " -> "
					+ hostPort(destination, l4.getTCP().getDestinationPort()) + " tcp "
					+ tcpFlags(l4.getTCP().getFlags());
			case UDP -> hostPort(source, l4.getUDP().getSourcePort()) + " -> "
					+ hostPort(destination, l4.getUDP().getDestinationPort()) + " udp";
			case SCTP -> hostPort(source, l4.getSCTP().getSourcePort()) + " -> "
					+ hostPort(destination, l4.getSCTP().getDestinationPort()) + " sctp";
			case ICMPV4 ->
				source + " -> " + destination + " " + IcmpNames.v4(l4.getICMPv4().getType(), l4.getICMPv4().getCode());
			case ICMPV6 ->
				source + " -> " + destination + " " + IcmpNames.v6(l4.getICMPv6().getType(), l4.getICMPv6().getCode());
			default -> source + " -> " + destination;
		};
	}

	/** The four flags upstream's monitor shows, in its order. */
	private static String tcpFlags(TCPFlags flags) {
		StringBuilder text = new StringBuilder();
		append(text, flags.getSYN(), "SYN");
		append(text, flags.getACK(), "ACK");
		append(text, flags.getRST(), "RST");
		append(text, flags.getFIN(), "FIN");
		return text.toString();
	}

	private static void append(StringBuilder text, boolean set, String flag) {
		if (set) {
			text.append((text.length() == 0) ? "" : ", ").append(flag);
		}
	}

	private static String hostPort(String ip, int port) {
		return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
	}

}
