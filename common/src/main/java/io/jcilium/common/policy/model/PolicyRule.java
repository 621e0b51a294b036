package io.jcilium.common.policy.model;

import java.util.List;

import io.jcilium.common.selector.LabelSelector;

/**
 * One rule of a policy, normalised from any of the three policy kinds: the endpoints it
 * applies to, its peer rules, and whether it puts the selected endpoints into default
 * deny per direction.
 *
 * @param source where the rule came from
 * @param subject the endpoints the rule applies to (already narrowed to the namespace for
 * namespaced kinds)
 * @param rules ingress/egress allow and deny rules
 * @param defaultDenyIngress whether the rule turns on ingress enforcement for its
 * subjects
 * @param defaultDenyEgress whether the rule turns on egress enforcement for its subjects
 */
public record PolicyRule(PolicySource source, LabelSelector subject, List<PeerRule> rules, boolean defaultDenyIngress,
		boolean defaultDenyEgress) {

	public PolicyRule {
		rules = List.copyOf(rules);
	}

	/**
	 * Whether this rule turns on default deny in the direction.
	 * @param direction the direction
	 * @return whether it enables enforcement
	 */
	public boolean defaultDeny(Direction direction) {
		return (direction == Direction.INGRESS) ? this.defaultDenyIngress : this.defaultDenyEgress;
	}

}
