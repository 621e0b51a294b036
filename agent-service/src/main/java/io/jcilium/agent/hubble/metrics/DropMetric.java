package io.jcilium.agent.hubble.metrics;

import java.util.List;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.Verdict;

/**
 * {@code hubble_drop_total{reason, protocol}}: dropped flows by upstream's drop reason
 * name ({@code POLICY_DENIED}).
 */
final class DropMetric implements FlowMetric {

	private final LabeledCounter drops;

	DropMetric(Counters counters, LabelContext context) {
		this.drops = counters.counter("hubble.drop", "Number of drops", List.of("reason", "protocol"), context);
	}

	@Override
	public void process(Flow flow) {
		if (flow.getVerdict() == Verdict.DROPPED) {
			this.drops.increment(flow, flow.getDropReasonDesc().name(), FlowNames.protocol(flow));
		}
	}

}
