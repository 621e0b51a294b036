package io.jcilium.common.policy.trace;

import java.util.List;

import io.jcilium.common.policy.model.Direction;

/**
 * How one side decided: the direction, whether it was enforced, the verdict and why.
 *
 * @param direction egress at the source or ingress at the destination
 * @param enforced whether policy was enforced in this direction
 * @param verdict the side's verdict
 * @param reason a one-line explanation
 * @param rules the rules that decided (denying rules, or allowing rules, or the rules
 * that enabled default deny)
 */
public record DirectionDecision(Direction direction, boolean enforced, Verdict verdict, String reason,
		List<String> rules) {

	public DirectionDecision {
		rules = List.copyOf(rules);
	}

}
