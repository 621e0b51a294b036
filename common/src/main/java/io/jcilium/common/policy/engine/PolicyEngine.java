package io.jcilium.common.policy.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.policy.model.PeerRule;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.model.PortRule;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;

/**
 * Rules plus the identity table in, per-endpoint policy map state out, and after each
 * change only what changed.
 * <p>
 * Policy is computed per local endpoint identity (endpoints sharing an identity share
 * policy). Each (endpoint, peer rule, peer selector) is recorded as a use of the
 * selector, with the port keys already resolved; when an identity appears or disappears,
 * only the uses of the selectors that select it produce entry changes. Entries are
 * reference counted because several rules may yield the same entry. Not thread-safe: the
 * caller serialises updates.
 */
public final class PolicyEngine {

	private final EnforcementMode mode;

	private final boolean allowLocalhost;

	private final SelectorCache cache = new SelectorCache();

	private final Map<String, List<PolicyRule>> policies = new LinkedHashMap<>();

	private final Map<Long, List<NamedPort>> endpoints = new TreeMap<>();

	private final Map<Long, EndpointState> states = new HashMap<>();

	private final Map<Peer, List<SelectorUse>> uses = new HashMap<>();

	// Derived views, rebuilt lazily after a policy or endpoint change (hot in
	// recomputation).
	private List<PolicyRule> allRules;

	private List<NamedPort> allNamedPorts;

	/**
	 * An engine with upstream's defaults: mode {@code default}, host may always reach
	 * local endpoints ({@code allow-localhost}).
	 */
	public PolicyEngine() {
		this(EnforcementMode.DEFAULT, true);
	}

	/**
	 * An engine.
	 * @param mode the enforcement mode
	 * @param allowLocalhost whether the local host may always reach local endpoints, as
	 * upstream's {@code allow-localhost=always} (the default under Kubernetes, for health
	 * probes)
	 */
	public PolicyEngine(EnforcementMode mode, boolean allowLocalhost) {
		this.mode = mode;
		this.allowLocalhost = allowLocalhost;
	}

	public EnforcementMode mode() {
		return this.mode;
	}

	public boolean allowLocalhost() {
		return this.allowLocalhost;
	}

	/**
	 * Add or replace an identity.
	 * @param identity the identity
	 * @return the changes to local endpoints
	 */
	public PolicyDelta upsertIdentity(Identity identity) {
		PolicyDelta.Builder delta = new PolicyDelta.Builder();
		Identity previous = this.cache.identity(identity.id());
		if (previous != null && previous.equals(identity)) {
			return delta.build(this::flags);
		}
		if (previous != null) {
			peerRemoved(identity.id(), this.cache.removeIdentity(identity.id()), delta);
		}
		for (Peer peer : this.cache.addIdentity(identity)) {
			for (SelectorUse use : this.uses.getOrDefault(peer, List.of())) {
				apply(use, identity.id(), delta, true);
			}
		}
		if (this.endpoints.containsKey(identity.id())) {
			recompute(identity.id(), delta);
		}
		return delta.build(this::flags);
	}

	/**
	 * Remove an identity.
	 * @param id the identity number
	 * @return the changes to local endpoints
	 */
	public PolicyDelta removeIdentity(long id) {
		PolicyDelta.Builder delta = new PolicyDelta.Builder();
		peerRemoved(id, this.cache.removeIdentity(id), delta);
		return delta.build(this::flags);
	}

	/**
	 * Add or update a local endpoint identity (its identity must be known).
	 * @param identity the endpoint's identity number
	 * @param namedPorts the endpoint's named container ports
	 * @return the changes
	 */
	public PolicyDelta upsertEndpoint(long identity, List<NamedPort> namedPorts) {
		if (this.cache.identity(identity) == null) {
			throw new IllegalArgumentException("endpoint identity " + identity + " is not in the identity table");
		}
		List<NamedPort> previous = this.endpoints.put(identity, List.copyOf(namedPorts));
		this.allNamedPorts = null;
		PolicyDelta.Builder delta = new PolicyDelta.Builder();
		recompute(identity, delta);
		boolean portsChanged = (previous == null) ? !namedPorts.isEmpty() : !previous.equals(namedPorts);
		if (portsChanged) {
			recomputeEgressNamedPortUsers(identity, delta);
		}
		return delta.build(this::flags);
	}

	/**
	 * Remove a local endpoint identity and its policy.
	 * @param identity the endpoint's identity number
	 * @return the changes (its entries removed)
	 */
	public PolicyDelta removeEndpoint(long identity) {
		PolicyDelta.Builder delta = new PolicyDelta.Builder();
		List<NamedPort> previous = this.endpoints.remove(identity);
		if (previous != null) {
			this.allNamedPorts = null;
			detach(identity);
			EndpointState old = this.states.remove(identity);
			old.counts.keySet().forEach((entry) -> delta.remove(identity, entry));
			delta.flags(identity, old.ingress || old.egress);
			if (!previous.isEmpty()) {
				recomputeEgressNamedPortUsers(identity, delta);
			}
		}
		return delta.build(this::flags);
	}

	/**
	 * Add or replace a policy object; only endpoints its old or new rules select are
	 * recomputed.
	 * @param policy the parsed policy
	 * @return the changes
	 */
	public PolicyDelta upsertPolicy(PolicyObject policy) {
		List<PolicyRule> old = this.policies.put(policy.key(), policy.rules());
		this.allRules = null;
		return recomputeSelected(old, policy.rules());
	}

	/**
	 * Remove a policy object.
	 * @param key the object's key ({@link PolicyObject#key()})
	 * @return the changes
	 */
	public PolicyDelta removePolicy(String key) {
		List<PolicyRule> old = this.policies.remove(key);
		this.allRules = null;
		return recomputeSelected(old, List.of());
	}

	/**
	 * Recompute every endpoint from scratch (the reference the incremental paths must
	 * equal).
	 * @return the policy of every local endpoint identity
	 */
	public Map<Long, EndpointPolicy> computeAll() {
		this.states.clear();
		this.uses.clear();
		PolicyDelta.Builder ignored = new PolicyDelta.Builder();
		for (long id : this.endpoints.keySet()) {
			recompute(id, ignored);
		}
		retainUsedSelectors();
		return policies();
	}

	/**
	 * The current policy of every local endpoint identity.
	 * @return policies by identity
	 */
	public Map<Long, EndpointPolicy> policies() {
		Map<Long, EndpointPolicy> out = new TreeMap<>();
		this.states.forEach((id, state) -> out.put(id, state.toPolicy(id)));
		return out;
	}

	/**
	 * The current policy of one endpoint identity.
	 * @param identity the endpoint's identity
	 * @return its policy, or {@code null} if it is not a local endpoint
	 */
	public EndpointPolicy policy(long identity) {
		EndpointState state = this.states.get(identity);
		return (state != null) ? state.toPolicy(identity) : null;
	}

	/**
	 * Every rule in force.
	 * @return the rules, in policy insertion order
	 */
	public List<PolicyRule> rules() {
		if (this.allRules == null) {
			List<PolicyRule> all = new ArrayList<>();
			this.policies.values().forEach(all::addAll);
			this.allRules = List.copyOf(all);
		}
		return this.allRules;
	}

	public SelectorCache selectorCache() {
		return this.cache;
	}

	/**
	 * Named ports of a local endpoint identity.
	 * @param identity the identity
	 * @return its named ports, empty if unknown
	 */
	public List<NamedPort> namedPorts(long identity) {
		return this.endpoints.getOrDefault(identity, List.of());
	}

	/**
	 * Named ports of every local endpoint, which egress rules resolve names against.
	 * @return all named ports
	 */
	public List<NamedPort> allNamedPorts() {
		if (this.allNamedPorts == null) {
			List<NamedPort> all = new ArrayList<>();
			this.endpoints.values().forEach(all::addAll);
			this.allNamedPorts = List.copyOf(all);
		}
		return this.allNamedPorts;
	}

	private PolicyDelta recomputeSelected(List<PolicyRule> oldRules, List<PolicyRule> newRules) {
		PolicyDelta.Builder delta = new PolicyDelta.Builder();
		List<PolicyRule> touched = new ArrayList<>(newRules);
		if (oldRules != null) {
			touched.addAll(oldRules);
		}
		for (long id : new ArrayList<>(this.endpoints.keySet())) {
			Identity identity = this.cache.identity(id);
			if (touched.stream().anyMatch((rule) -> rule.subject().matches(identity.labels()))) {
				recompute(id, delta);
			}
		}
		retainUsedSelectors();
		return delta.build(this::flags);
	}

	// Egress rules resolve port names against every endpoint's named ports, so a change
	// of those
	// ports changes the entries of every endpoint subject to such a rule.
	private void recomputeEgressNamedPortUsers(long changed, PolicyDelta.Builder delta) {
		List<PolicyRule> users = rules().stream()
			.filter((rule) -> rule.rules()
				.stream()
				.anyMatch((r) -> r.direction() == Direction.EGRESS && r.ports().stream().anyMatch(PortRule::isNamed)))
			.toList();
		if (users.isEmpty()) {
			return;
		}
		for (long id : new ArrayList<>(this.endpoints.keySet())) {
			Identity identity = this.cache.identity(id);
			if (id != changed && users.stream().anyMatch((rule) -> rule.subject().matches(identity.labels()))) {
				recompute(id, delta);
			}
		}
	}

	private void recompute(long id, PolicyDelta.Builder delta) {
		detach(id);
		EndpointState old = this.states.get(id);
		EndpointState state = new EndpointState();
		this.states.put(id, state);
		Identity identity = this.cache.identity(id);
		if (this.mode != EnforcementMode.NEVER) {
			for (PolicyRule rule : rules()) {
				if (rule.subject().matches(identity.labels())) {
					state.ingress |= rule.defaultDenyIngress();
					state.egress |= rule.defaultDenyEgress();
					for (PeerRule peerRule : rule.rules()) {
						addPeerRule(id, peerRule);
					}
				}
			}
			if (this.mode == EnforcementMode.ALWAYS) {
				state.ingress = true;
				state.egress = true;
			}
			if (this.allowLocalhost && state.ingress) {
				state.increment(new MapEntry(ReservedIdentity.HOST.id(), Direction.INGRESS, 0, 0, 0, false));
			}
		}
		Set<MapEntry> before = (old != null) ? old.counts.keySet() : Set.of();
		Map<MapEntry, Boolean> changes = delta.of(id);
		for (MapEntry entry : state.counts.keySet()) {
			if (!before.contains(entry)) {
				PolicyDelta.Builder.add(changes, entry);
			}
		}
		for (MapEntry entry : before) {
			if (!state.counts.containsKey(entry)) {
				PolicyDelta.Builder.remove(changes, entry);
			}
		}
		boolean flagsChanged = (old == null) ? (state.ingress || state.egress)
				: (old.ingress != state.ingress || old.egress != state.egress);
		delta.flags(id, flagsChanged);
	}

	private void addPeerRule(long id, PeerRule rule) {
		Collection<NamedPort> named = (rule.direction() == Direction.INGRESS) ? namedPorts(id) : allNamedPorts();
		List<PortKeys.Key> keys = PortKeys.of(rule, named);
		if (keys.isEmpty()) {
			return;
		}
		EndpointState state = this.states.get(id);
		if (rule.anyPeer()) {
			SelectorUse use = new SelectorUse(id, rule.direction(), rule.deny(), keys);
			use.entries(0).forEach(state::increment);
			return;
		}
		for (Peer peer : rule.peers()) {
			SelectorUse use = new SelectorUse(id, rule.direction(), rule.deny(), keys);
			this.uses.computeIfAbsent(peer, (p) -> new ArrayList<>()).add(use);
			state.peers.add(peer);
			for (long peerId : this.cache.selections(peer)) {
				use.entries(peerId).forEach(state::increment);
			}
		}
	}

	private void peerRemoved(long peerId, List<Peer> peers, PolicyDelta.Builder delta) {
		for (Peer peer : peers) {
			for (SelectorUse use : this.uses.getOrDefault(peer, List.of())) {
				apply(use, peerId, delta, false);
			}
		}
	}

	private void apply(SelectorUse use, long peerId, PolicyDelta.Builder delta, boolean add) {
		EndpointState state = this.states.get(use.endpoint());
		Map<MapEntry, Boolean> changes = delta.of(use.endpoint());
		for (MapEntry entry : use.entries(peerId)) {
			if (add && state.increment(entry)) {
				PolicyDelta.Builder.add(changes, entry);
			}
			else if (!add && state.decrement(entry)) {
				PolicyDelta.Builder.remove(changes, entry);
			}
		}
	}

	// Drop the selector uses of an endpoint before recomputing it.
	private void detach(long id) {
		EndpointState state = this.states.get(id);
		if (state == null) {
			return;
		}
		for (Peer peer : state.peers) {
			List<SelectorUse> list = this.uses.get(peer);
			if (list != null) {
				list.removeIf((use) -> use.endpoint() == id);
			}
		}
	}

	private void retainUsedSelectors() {
		this.uses.values().removeIf(List::isEmpty);
		this.cache.retainOnly(new HashSet<>(this.uses.keySet()));
	}

	private boolean[] flags(long id) {
		EndpointState state = this.states.get(id);
		return (state != null) ? new boolean[] { state.ingress, state.egress } : null;
	}

}
