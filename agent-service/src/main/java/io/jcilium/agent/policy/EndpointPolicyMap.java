package io.jcilium.agent.policy;

import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.PolicyDelta;

/**
 * One endpoint's policy map as the policy cell sees it: policy entries in, whatever
 * encoding the datapath uses behind it. A change lands completely or not at all; a method
 * that throws leaves the map with the policy it had.
 */
public interface EndpointPolicyMap {

	/**
	 * Makes the map hold exactly this policy (first attach, a new map handle, a retry
	 * after a failure); what the map already holds is kept and only differences written.
	 * @param policy the endpoint identity's whole policy
	 * @return how many map keys were written or deleted
	 */
	int replace(EndpointPolicy policy);

	/**
	 * Applies one change of the endpoint identity's policy, as the engine computed it.
	 * @param change the entries added and removed and the enforcement after the change
	 * @return how many map keys were written or deleted
	 */
	int apply(PolicyDelta.EndpointChange change);

}
