package io.jcilium.agent.cidr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.jcilium.agent.ipcache.IpcacheSync;
import io.jcilium.agent.policy.PolicyUpdates;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.policy.engine.CidrPrefixes;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy input with CIDR identities: in front of the agent's policy, it gives every
 * prefix the rules in force name (and every {@code except} inside one) a node-local
 * identity labelled {@code cidr:<prefix>} and {@code reserved:world}, hands those
 * identities to the policy before the rules that select them, and claims the prefixes in
 * the ipcache (as fallback claims: a node's or a pod's address keeps its own identity, so
 * CIDR rules never select in-cluster endpoints, as upstream). The longest prefix match
 * then gives an outside address the identity of the most specific prefix around it, so an
 * {@code except} carve-out resolves to an identity its rule does not select. Prefixes and
 * identities no rule needs any more leave the ipcache before they leave the policy, so no
 * address resolves to an identity the policy no longer knows. Identities from the cluster
 * pass through unchanged.
 */
public final class CidrPolicyFeed implements PolicyUpdates {

	/** The ipcache owner of the CIDR prefixes. */
	public static final String IPCACHE_OWNER = "policy/cidr";

	private static final Logger logger = LoggerFactory.getLogger(CidrPolicyFeed.class);

	private final PolicyUpdates policy;

	private final IpcacheSync ipcache;

	private final CidrIdentityAllocator allocator;

	private final Map<String, List<PolicyRule>> rulesByPolicy = new HashMap<>();

	/**
	 * A feed.
	 * @param policy the policy it feeds
	 * @param ipcache where the prefixes are claimed
	 */
	public CidrPolicyFeed(PolicyUpdates policy, IpcacheSync ipcache) {
		this(policy, ipcache, new CidrIdentityAllocator());
	}

	CidrPolicyFeed(PolicyUpdates policy, IpcacheSync ipcache, CidrIdentityAllocator allocator) {
		this.policy = policy;
		this.ipcache = ipcache;
		this.allocator = allocator;
	}

	@Override
	public synchronized void upsertPolicy(PolicyObject object) {
		List<PolicyRule> previous = this.rulesByPolicy.put(object.key(), object.rules());
		CidrIdentityAllocator.Change change;
		try {
			change = this.allocator.sync(requiredPrefixes());
		}
		catch (IllegalStateException ex) {
			restore(object.key(), previous);
			throw ex;
		}
		change.added().forEach(this.policy::upsertIdentity);
		this.policy.upsertPolicy(object);
		publish(change);
	}

	@Override
	public synchronized void removePolicy(String key) {
		this.rulesByPolicy.remove(key);
		CidrIdentityAllocator.Change change = this.allocator.sync(requiredPrefixes());
		change.added().forEach(this.policy::upsertIdentity);
		this.policy.removePolicy(key);
		publish(change);
	}

	@Override
	public void upsertIdentity(Identity identity) {
		this.policy.upsertIdentity(identity);
	}

	@Override
	public void removeIdentity(long id) {
		this.policy.removeIdentity(id);
	}

	@Override
	public void expectInput(String name, BooleanSupplier synced) {
		this.policy.expectInput(name, synced);
	}

	/**
	 * The CIDR identities now given out (console and tests).
	 * @return prefix to identity
	 */
	public synchronized Map<Cidr, Identity> identities() {
		return this.allocator.identities();
	}

	private List<Cidr> requiredPrefixes() {
		List<PolicyRule> rules = new ArrayList<>();
		this.rulesByPolicy.values().forEach(rules::addAll);
		return List.copyOf(CidrPrefixes.required(rules));
	}

	private void restore(String key, List<PolicyRule> previous) {
		if (previous != null) {
			this.rulesByPolicy.put(key, previous);
		}
		else {
			this.rulesByPolicy.remove(key);
		}
	}

	/** Prefixes into the ipcache, then the identities nothing needs out of the policy. */
	private void publish(CidrIdentityAllocator.Change change) {
		if (change.added().isEmpty() && change.released().isEmpty()) {
			return;
		}
		Map<Cidr, IpcacheSync.Entry> entries = new HashMap<>();
		this.allocator.identities()
			.forEach((prefix, identity) -> entries.put(prefix, new IpcacheSync.Entry(identity.id(), null)));
		this.ipcache.syncFallback(IPCACHE_OWNER, entries);
		change.released().forEach((identity) -> this.policy.removeIdentity(identity.id()));
		logger.info("CIDR identities: {} added, {} released, {} in use", change.added().size(),
				change.released().size(), entries.size());
	}

}
