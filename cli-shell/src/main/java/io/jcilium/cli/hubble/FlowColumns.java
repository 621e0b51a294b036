package io.jcilium.cli.hubble;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.TCPFlags;
import io.jcilium.api.hubble.flow.TraceObservationPoint;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.common.datapath.DropReason;
import io.jcilium.common.datapath.PolicyMatchType;
import io.jcilium.common.identity.ReservedIdentity;

/**
 * The columns of upstream's flow printer ({@code hubble/pkg/printer}): endpoint with
 * port, identity, event type, verdict and summary, with upstream's words for each.
 */
final class FlowColumns {

	/** Upstream's monitor message types. */
	private static final int DROP = 1;

	private static final int TRACE = 4;

	private static final int POLICY_VERDICT = 5;

	private FlowColumns() {
	}

	/** {@code shop/frontend:43210}, or the address when no pod is known. */
	static String host(Flow flow, boolean source) {
		String ip = source ? flow.getIP().getSource() : flow.getIP().getDestination();
		var endpoint = source ? flow.getSource() : flow.getDestination();
		var service = source ? flow.getSourceService() : flow.getDestinationService();
		List<String> names = source ? flow.getSourceNamesList() : flow.getDestinationNamesList();
		String host = ip;
		if (!endpoint.getPodName().isEmpty()) {
			host = join(endpoint.getNamespace(), endpoint.getPodName());
		}
		else if (!service.getName().isEmpty()) {
			host = join(service.getNamespace(), service.getName());
		}
		else if (!names.isEmpty()) {
			host = String.join(",", names);
		}
		int port = port(flow.getL4(), source);
		if (port == 0) {
			return host;
		}
		return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
	}

	/** {@code (ID:12345)}, or the reserved identity's name: {@code (world)}. */
	static String identity(int identity) {
		return ReservedIdentity.fromId(Integer.toUnsignedLong(identity))
			.map((reserved) -> "(" + reserved.labelName() + ")")
			.orElse("(ID:" + Integer.toUnsignedString(identity) + ")");
	}

	/**
	 * {@code to-endpoint}, {@code Policy denied}, {@code policy-verdict:L3-L4 INGRESS}.
	 */
	static String type(Flow flow) {
		return switch (flow.getEventType().getType()) {
			case TRACE -> observationPoint(flow);
			case DROP -> DropReason.describe(flow.getEventType().getSubType() & 0xff);
			case POLICY_VERDICT -> "policy-verdict:" + PolicyMatchType.name(flow.getPolicyMatchType()) + " "
					+ flow.getTrafficDirection().name();
			default -> "UNKNOWN";
		};
	}

	static String verdict(Flow flow) {
		boolean policyVerdict = flow.getEventType().getType() == POLICY_VERDICT;
		Verdict verdict = flow.getVerdict();
		if (policyVerdict) {
			switch (verdict) {
				case FORWARDED, REDIRECTED:
					return "ALLOWED";
				case DROPPED, ERROR:
					return "DENIED";
				case AUDIT:
					return "AUDITED";
				default:
			}
		}
		return verdict.name();
	}

	/**
	 * The flow's summary, else what upstream's parser puts there: {@code TCP Flags: SYN}.
	 */
	static String summary(Flow flow) {
		if (!flow.getSummary().isEmpty()) {
			return flow.getSummary();
		}
		Layer4 l4 = flow.getL4();
		return switch (l4.getProtocolCase()) {
			case TCP -> "TCP Flags: " + tcpFlags(l4.getTCP().getFlags());
			case UDP -> "UDP";
			case SCTP -> "SCTP";
			case ICMPV4 -> "ICMPv4 " + IcmpNames.v4(l4.getICMPv4().getType(), l4.getICMPv4().getCode());
			case ICMPV6 -> "ICMPv6 " + IcmpNames.v6(l4.getICMPv6().getType(), l4.getICMPv6().getCode());
			default -> "";
		};
	}

	static String tcpFlags(TCPFlags flags) {
		List<String> set = new ArrayList<>();
		add(set, flags.getSYN(), "SYN");
		add(set, flags.getACK(), "ACK");
		add(set, flags.getRST(), "RST");
		add(set, flags.getFIN(), "FIN");
		add(set, flags.getPSH(), "PSH");
		add(set, flags.getURG(), "URG");
		add(set, flags.getECE(), "ECE");
		add(set, flags.getCWR(), "CWR");
		add(set, flags.getNS(), "NS");
		return String.join(", ", set);
	}

	private static void add(List<String> set, boolean on, String name) {
		if (on) {
			set.add(name);
		}
	}

	private static String observationPoint(Flow flow) {
		TraceObservationPoint point = flow.getTraceObservationPoint();
		if (point == TraceObservationPoint.UNKNOWN_POINT || point == TraceObservationPoint.UNRECOGNIZED) {
			return "unknown trace";
		}
		return point.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private static int port(Layer4 l4, boolean source) {
		return switch (l4.getProtocolCase()) {
			case TCP -> source ? l4.getTCP().getSourcePort() : l4.getTCP().getDestinationPort();
			case UDP -> source ? l4.getUDP().getSourcePort() : l4.getUDP().getDestinationPort();
			case SCTP -> source ? l4.getSCTP().getSourcePort() : l4.getSCTP().getDestinationPort();
			default -> 0;
		};
	}

	private static String join(String namespace, String name) {
		return namespace.isEmpty() ? name : namespace + "/" + name;
	}

}
