package io.jcilium.agent.hubble.metrics;

import java.util.List;
import java.util.Locale;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.common.datapath.PolicyMatchType;

/**
 * {@code hubble_policy_verdicts_total{direction, match, action}}: policy verdict events
 * (not the host's own traffic, which policy always allows), by direction, how the policy
 * matched ({@code l3-l4}, {@code all}, ...) and the verdict.
 */
final class PolicyVerdictMetric implements FlowMetric {

	/** The host's reserved identity. */
	private static final int HOST = 1;

	private final LabeledCounter verdicts;

	PolicyVerdictMetric(Counters counters, LabelContext context) {
		this.verdicts = counters.counter("hubble.policy.verdicts", "Total number of Cilium network policy verdicts",
				List.of("direction", "match", "action"), context);
	}

	@Override
	public void process(Flow flow) {
		if (flow.getEventType().getType() != FlowNames.POLICY_VERDICT || flow.getSource().getIdentity() == HOST) {
			return;
		}
		this.verdicts.increment(flow, flow.getTrafficDirection().name().toLowerCase(Locale.ROOT),
				PolicyMatchType.name(flow.getPolicyMatchType()).toLowerCase(Locale.ROOT),
				flow.getVerdict().name().toLowerCase(Locale.ROOT));
	}

}
