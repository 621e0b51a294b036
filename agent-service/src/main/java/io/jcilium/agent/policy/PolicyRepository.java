package io.jcilium.agent.policy;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;

import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.policy.model.PolicyRule;

/**
 * The agent's policy repository at one moment, as upstream's
 * {@code cilium-dbg policy get} and {@code policy selectors} show it: the rules in force
 * and the peer selectors' selections.
 *
 * @param revision the policy revision
 * @param rules the rules, normalised from every policy kind
 * @param selections each peer selector in use and the identities it selects
 */
public record PolicyRepository(long revision, List<PolicyRule> rules, Map<Peer, SortedSet<Long>> selections) {

	public PolicyRepository {
		rules = List.copyOf(rules);
		selections = Map.copyOf(selections);
	}

}
