package io.jcilium.agent.policy;

import io.jcilium.common.policy.engine.EndpointPolicy;

/**
 * The policy computed for the local identities, read by whoever explains a datapath
 * decision after the fact (Hubble names the rules that allowed or denied a flow).
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

}
