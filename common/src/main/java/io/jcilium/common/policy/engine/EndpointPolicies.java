package io.jcilium.common.policy.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
import io.jcilium.common.policy.model.PolicySource;

/**
 * The computed side of the engine: each local endpoint's map entries with the rules they
 * are derived from, its enforcement flags, and the selector uses that tie them to peer
 * selectors, so that an identity coming or going changes only the entries of the uses
 * selecting it. Which endpoints to recompute is {@link PolicyEngine}'s decision; how is
 * this class's.
 */
final class EndpointPolicies {

	/** The source of the ingress entry from the host that allow-localhost adds. */
	private static final Derivation.Single ALLOW_LOCALHOST = new Derivation.Single(
			PolicySource.ALLOW_LOCALHOST_INGRESS);

	private final EnforcementMode mode;

	private final boolean allowLocalhost;

	private final SelectorCache cache;

	private final PolicyInputs inputs;

	private final Map<Long, EndpointState> states = new HashMap<>();

	private final Map<Peer, List<SelectorUse>> uses = new HashMap<>();

	EndpointPolicies(EnforcementMode mode, boolean allowLocalhost, SelectorCache cache, PolicyInputs inputs) {
		this.mode = mode;
		this.allowLocalhost = allowLocalhost;
		this.cache = cache;
		this.inputs = inputs;
	}

	/** Recomputes one endpoint from the rules selecting it, recording the difference. */
	void recompute(long id, PolicyDelta.Builder delta) {
		detach(id);
		EndpointState old = this.states.get(id);
		EndpointState state = new EndpointState();
		this.states.put(id, state);
		Identity identity = this.cache.identity(id);
		if (this.mode != EnforcementMode.NEVER) {
			for (PolicyRule rule : this.inputs.rules()) {
				if (rule.subject().matches(identity.labels())) {
					state.ingress |= rule.defaultDenyIngress();
					state.egress |= rule.defaultDenyEgress();
					Derivation.Single derivation = new Derivation.Single(rule.source());
					for (PeerRule peerRule : rule.rules()) {
						addPeerRule(id, peerRule, derivation);
					}
				}
			}
			if (this.mode == EnforcementMode.ALWAYS || EnforcementMode.heldAtInit(identity.labels())) {
				state.ingress = true;
				state.egress = true;
			}
			if (this.allowLocalhost && state.ingress) {
				state.add(new MapEntry(ReservedIdentity.HOST.id(), Direction.INGRESS, 0, 0, 0, false), ALLOW_LOCALHOST);
			}
		}
		Set<MapEntry> before = (old != null) ? old.entries.keySet() : Set.of();
		Map<MapEntry, Boolean> changes = delta.of(id);
		for (MapEntry entry : state.entries.keySet()) {
			if (!before.contains(entry)) {
				PolicyDelta.Builder.add(changes, entry);
			}
		}
		for (MapEntry entry : before) {
			if (!state.entries.containsKey(entry)) {
				PolicyDelta.Builder.remove(changes, entry);
			}
		}
		boolean flagsChanged = (old == null) ? (state.ingress || state.egress)
				: (old.ingress != state.ingress || old.egress != state.egress);
		delta.flags(id, flagsChanged);
	}

	/** Drops an endpoint: every entry it had becomes a removal. */
	void remove(long id, PolicyDelta.Builder delta) {
		detach(id);
		EndpointState old = this.states.remove(id);
		if (old != null) {
			old.entries.keySet().forEach((entry) -> delta.remove(id, entry));
			delta.flags(id, old.ingress || old.egress);
		}
	}

	/** An identity now selected by these peer selectors: their uses gain its entries. */
	void peerAdded(long peerId, List<Peer> peers, PolicyDelta.Builder delta) {
		for (Peer peer : peers) {
			for (SelectorUse use : this.uses.getOrDefault(peer, List.of())) {
				apply(use, peerId, delta, true);
			}
		}
	}

	/**
	 * An identity no longer selected by these peer selectors: their uses lose its
	 * entries.
	 */
	void peerRemoved(long peerId, List<Peer> peers, PolicyDelta.Builder delta) {
		for (Peer peer : peers) {
			for (SelectorUse use : this.uses.getOrDefault(peer, List.of())) {
				apply(use, peerId, delta, false);
			}
		}
	}

	/** Forgets everything computed, before a computation from scratch. */
	void clear() {
		this.states.clear();
		this.uses.clear();
	}

	/** Lets the selector cache drop selectors no rule in force uses any more. */
	void retainUsedSelectors() {
		this.uses.values().removeIf(List::isEmpty);
		this.cache.retainOnly(new HashSet<>(this.uses.keySet()));
	}

	Map<Long, EndpointPolicy> policies() {
		Map<Long, EndpointPolicy> out = new TreeMap<>();
		this.states.forEach((id, state) -> out.put(id, state.toPolicy(id)));
		return out;
	}

	EndpointPolicy policy(long id) {
		EndpointState state = this.states.get(id);
		return (state != null) ? state.toPolicy(id) : null;
	}

	/** Ingress and egress enforcement of an endpoint, or {@code null} if not local. */
	boolean[] flags(long id) {
		EndpointState state = this.states.get(id);
		return (state != null) ? new boolean[] { state.ingress, state.egress } : null;
	}

	private void addPeerRule(long id, PeerRule rule, Derivation.Single derivation) {
		Collection<NamedPort> named = (rule.direction() == Direction.INGRESS) ? this.inputs.namedPorts(id)
				: this.inputs.allNamedPorts();
		List<PortKeys.Key> keys = PortKeys.of(rule, named);
		if (keys.isEmpty()) {
			return;
		}
		EndpointState state = this.states.get(id);
		if (rule.anyPeer()) {
			for (MapEntry entry : new SelectorUse(id, rule.direction(), rule.deny(), keys, derivation).entries(0)) {
				state.add(entry, derivation);
			}
			return;
		}
		for (Peer peer : rule.peers()) {
			SelectorUse use = new SelectorUse(id, rule.direction(), rule.deny(), keys, derivation);
			this.uses.computeIfAbsent(peer, (p) -> new ArrayList<>()).add(use);
			state.peers.add(peer);
			for (long peerId : this.cache.selections(peer)) {
				for (MapEntry entry : use.entries(peerId)) {
					state.add(entry, derivation);
				}
			}
		}
	}

	private void apply(SelectorUse use, long peerId, PolicyDelta.Builder delta, boolean add) {
		EndpointState state = this.states.get(use.endpoint());
		Map<MapEntry, Boolean> changes = delta.of(use.endpoint());
		for (MapEntry entry : use.entries(peerId)) {
			if (add && state.add(entry, use.rule())) {
				PolicyDelta.Builder.add(changes, entry);
			}
			else if (!add && state.remove(entry, use.rule().rule())) {
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

}
