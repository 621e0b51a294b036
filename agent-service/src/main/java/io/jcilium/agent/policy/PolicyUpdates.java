package io.jcilium.agent.policy;

import java.util.function.BooleanSupplier;

import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;

/**
 * The inputs of the agent's policy: policies from the API server and the cluster's
 * identities. Each call is applied incrementally, so only endpoints whose policy changes
 * get their maps rewritten.
 */
public interface PolicyUpdates {

	/**
	 * Adds or replaces a policy object (a valid one: rejected policies never get here, so
	 * the last good version stays in force).
	 * @param policy the parsed policy
	 */
	void upsertPolicy(PolicyObject policy);

	/**
	 * Removes a policy object.
	 * @param key the object's key ({@link PolicyObject#key()})
	 */
	void removePolicy(String key);

	/**
	 * Adds or replaces an identity with its labels.
	 * @param identity the identity
	 */
	void upsertIdentity(Identity identity);

	/**
	 * Removes an identity.
	 * @param id the identity number
	 */
	void removeIdentity(long id);

	/**
	 * Declares an input whose initial state the endpoints' policy must not be computed
	 * without: after an agent restart, policy computed from half the rules or half the
	 * identities would cut running pods off. Until every declared input reports synced
	 * (or a wait limit passes), regenerations fail with a reason naming what is awaited,
	 * and the datapath keeps the programs and policy it has.
	 * @param name what the input is, as the reason names it
	 * @param synced whether the input has delivered its initial state
	 */
	default void expectInput(String name, BooleanSupplier synced) {
	}

}
