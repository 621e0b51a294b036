package io.jcilium.agent.hubble.metrics;

import java.util.Locale;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.TraceObservationPoint;

/**
 * How upstream's metrics name a flow's protocol, event type and observation point
 * ({@code v1.FlowProtocol}, {@code monitorAPI.TraceObservationPoints}).
 */
final class FlowNames {

	/** Upstream's monitor message types ({@code pkg/monitor/api}). */
	static final int DROP = 1;

	static final int CAPTURE = 3;

	static final int TRACE = 4;

	static final int POLICY_VERDICT = 5;

	static final int ACCESS_LOG = 129;

	private FlowNames() {
	}

	static String protocol(Flow flow) {
		int type = flow.getEventType().getType();
		if (type == ACCESS_LOG) {
			if (flow.getL7().hasDns()) {
				return "DNS";
			}
			if (flow.getL7().hasHttp()) {
				return "HTTP";
			}
			return flow.getL7().hasKafka() ? "Kafka" : "Unknown L7";
		}
		if (type == DROP || type == TRACE || type == POLICY_VERDICT || type == CAPTURE) {
			return l4(flow.getL4());
		}
		return "Unknown flow";
	}

	private static String l4(Layer4 l4) {
		return switch (l4.getProtocolCase()) {
			case TCP -> "TCP";
			case UDP -> "UDP";
			case ICMPV4 -> "ICMPv4";
			case ICMPV6 -> "ICMPv6";
			case SCTP -> "SCTP";
			default -> "Unknown L4";
		};
	}

	/** {@code TO_ENDPOINT} as upstream names it: {@code to-endpoint}. */
	static String observationPoint(TraceObservationPoint point) {
		if (point == TraceObservationPoint.UNKNOWN_POINT || point == TraceObservationPoint.UNRECOGNIZED) {
			return "";
		}
		return point.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
