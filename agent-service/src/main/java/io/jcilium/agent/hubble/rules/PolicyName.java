package io.jcilium.agent.hubble.rules;

import java.util.Comparator;

import io.jcilium.common.policy.model.PolicySource;

/**
 * A policy object as the counters name it: kind, namespace (empty for cluster-wide
 * policies) and name, the way flows name a rule's policy.
 */
record PolicyName(String kind, String namespace, String name) {

	static final Comparator<PolicyName> ORDER = Comparator.comparing(PolicyName::kind)
		.thenComparing(PolicyName::namespace)
		.thenComparing(PolicyName::name);

	static PolicyName of(PolicySource source) {
		return new PolicyName(source.kind(), source.namespace(), source.name());
	}

}
