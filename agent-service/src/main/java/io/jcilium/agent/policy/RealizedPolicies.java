package io.jcilium.agent.policy;

import java.util.List;

import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.model.PolicySource;

/**
 * The policy computed for the local identities, read by whoever explains a datapath
 * decision after the fact (Hubble names the rules that allowed or denied a flow and
 * counts their hits).
 */
public interface RealizedPolicies {

	/**
	 * The revision of the latest policy change; a policy read before a change of revision
	 * may be stale.
	 * @return the revision
	 */
	long revision();

	/**
	 * The policy of a local identity, with the rules each map entry is derived from.
	 * @param identity the identity
	 * @return its policy, or {@code null} if no local endpoint has it
	 */
	EndpointPolicy policy(long identity);

	/**
	 * Where the rules in force come from, each policy object once (a rule index of 0
	 * standing for all of the object's rules).
	 * @return the sources, sorted
	 */
	List<PolicySource> sources();

}
