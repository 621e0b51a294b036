package io.jcilium.agent.hubble.metrics;

import java.util.List;
import java.util.Locale;

import io.jcilium.api.hubble.flow.Flow;

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
				match(flow.getPolicyMatchType()).toLowerCase(Locale.ROOT),
				flow.getVerdict().name().toLowerCase(Locale.ROOT));
	}

	/** Upstream's {@code monitorAPI.PolicyMatchType} names. */
	static String match(int type) {
		return switch (type) {
			case 0 -> "none";
			case 1 -> "L3-Only";
			case 2 -> "L3-L4";
			case 3 -> "L4-Only";
			case 4 -> "all";
			case 5 -> "L3-Proto";
			case 6 -> "Proto-Only";
			default -> "unknown";
		};
	}

}
