package io.jcilium.agent.identity;

import io.jcilium.agent.policy.PolicyUpdates;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.identity.client.IdentityCache;
import io.jcilium.identity.client.IdentityListener;

/**
 * Feeds the cluster's identities into the agent's policy: the reserved ones once, then
 * every change of the identity cache, so selectors learn which identities they select.
 */
final class PolicyIdentityFeed implements IdentityListener {

	private final PolicyUpdates policy;

	PolicyIdentityFeed(PolicyUpdates policy) {
		this.policy = policy;
	}

	/** Announces the reserved identities, then follows the cache (its content first). */
	void follow(IdentityCache cache) {
		for (ReservedIdentity reserved : ReservedIdentity.values()) {
			this.policy.upsertIdentity(Identity.reserved(reserved));
		}
		cache.addListener(this);
	}

	@Override
	public void upsert(long id, Labels labels) {
		this.policy.upsertIdentity(Identity.of(id, labels));
	}

	@Override
	public void delete(long id) {
		this.policy.removeIdentity(id);
	}

}
