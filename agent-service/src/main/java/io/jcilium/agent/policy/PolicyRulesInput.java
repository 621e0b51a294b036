package io.jcilium.agent.policy;

/**
 * A feed in front of the policy cell that derives inputs of its own from the rules (CIDR
 * identities) and passes everything on: when a bean of this type exists, the policy
 * watcher hands policies to it instead of straight to the policy cell. Not itself a
 * {@link PolicyUpdates} bean, so it never competes with the policy cell for injection.
 */
@FunctionalInterface
public interface PolicyRulesInput {

	/**
	 * Where policies go.
	 * @return the feed, which passes them on to the policy cell
	 */
	PolicyUpdates policyUpdates();

}
