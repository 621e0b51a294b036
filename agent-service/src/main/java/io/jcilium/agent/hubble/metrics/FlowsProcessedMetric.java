package io.jcilium.agent.hubble.metrics;

import java.util.List;

import io.jcilium.api.hubble.flow.Flow;

/**
 * {@code hubble_flows_processed_total{protocol, type, subtype, verdict}}: every flow, by
 * upstream's event type names ({@code Trace} with its observation point, {@code Drop},
 * {@code PolicyVerdict}, {@code L7} with its protocol).
 */
final class FlowsProcessedMetric implements FlowMetric {

	private final LabeledCounter flows;

	FlowsProcessedMetric(Counters counters, LabelContext context) {
		this.flows = counters.counter("hubble.flows.processed", "Total number of flows processed",
				List.of("protocol", "type", "subtype", "verdict"), context);
	}

	@Override
	public void process(Flow flow) {
		String type;
		String subtype = "";
		int eventType = flow.getEventType().getType();
		switch (eventType) {
			case FlowNames.ACCESS_LOG -> {
				type = "L7";
				subtype = flow.getL7().hasDns() ? "DNS" : flow.getL7().hasHttp() ? "HTTP" : "";
			}
			case FlowNames.DROP -> type = "Drop";
			case FlowNames.CAPTURE -> type = "Capture";
			case FlowNames.TRACE -> {
				type = "Trace";
				subtype = FlowNames.observationPoint(flow.getTraceObservationPoint());
			}
			case FlowNames.POLICY_VERDICT -> type = "PolicyVerdict";
			default -> {
				type = "Unknown";
				subtype = Integer.toString(eventType);
			}
		}
		this.flows.increment(flow, FlowNames.protocol(flow), type, subtype, flow.getVerdict().name());
	}

}
