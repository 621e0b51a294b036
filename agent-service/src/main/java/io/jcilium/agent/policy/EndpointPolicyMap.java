package io.jcilium.agent.policy;

import java.util.Collection;
import java.util.Map;

import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;

/**
 * One endpoint's policy map as the policy cell writes it: read once to learn what an
 * earlier run left pinned, then changed by differences only.
 */
public interface EndpointPolicyMap {

	/**
	 * The keys in the map now.
	 * @return key to "deny"
	 */
	Map<PolicyKey, Boolean> read();

	/**
	 * Writes {@code upserts} first, then deletes {@code deletes}, then tells the
	 * endpoint's program once, so traffic that both the old and the new policy allow is
	 * never denied in between.
	 * @param upserts keys to add or change, to "deny"
	 * @param deletes keys to remove
	 */
	void write(Map<PolicyKey, Boolean> upserts, Collection<PolicyKey> deletes);

}
