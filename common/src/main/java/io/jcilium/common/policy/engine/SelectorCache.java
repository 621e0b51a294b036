package io.jcilium.common.policy.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import io.jcilium.common.label.Label;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.selector.Operator;
import io.jcilium.common.selector.Requirement;

/**
 * Which identities each peer selector selects, kept up to date as identities come and go.
 * <p>
 * Equal selectors share one entry. Selection of a new selector uses an index of
 * identities by label key and value when the selector has an {@code In} requirement, so
 * registering a selector costs the size of its candidates rather than of the whole
 * identity table.
 */
public final class SelectorCache {

	private final Map<Long, Identity> identities = new HashMap<>();

	// key -> value -> identities carrying key=value (any source; the full match filters).
	private final Map<String, Map<String, Set<Long>>> index = new HashMap<>();

	private final Map<Peer, Set<Long>> selections = new LinkedHashMap<>();

	// The reverse index: selectors by the key and value of their first In requirement, so
	// that a
	// new identity is only tested against selectors that can select it.
	private final Map<String, Map<String, List<Peer>>> selectorIndex = new HashMap<>();

	// Selectors without an In requirement: every new identity is tested against them.
	private final List<Peer> unindexedSelectors = new ArrayList<>();

	/**
	 * The identities the peer selects, registering it on first use.
	 * @param peer a peer selector
	 * @return the selected identity numbers (live view, do not modify)
	 */
	public Set<Long> selections(Peer peer) {
		Set<Long> selected = this.selections.get(peer);
		if (selected == null) {
			selected = new HashSet<>();
			for (Identity identity : candidates(peer)) {
				if (peer.selects(identity)) {
					selected.add(identity.id());
				}
			}
			this.selections.put(peer, selected);
			indexSelector(peer, true);
		}
		return Collections.unmodifiableSet(selected);
	}

	/**
	 * Add or replace an identity.
	 * @param identity the identity
	 * @return the registered selectors that now select it and did not before
	 */
	public List<Peer> addIdentity(Identity identity) {
		Identity previous = this.identities.put(identity.id(), identity);
		if (previous != null) {
			unindex(previous);
		}
		indexIdentity(identity);
		List<Peer> changed = new ArrayList<>();
		Collection<Peer> candidates = (previous != null) ? this.selections.keySet() : candidateSelectors(identity);
		for (Peer peer : candidates) {
			Set<Long> selected = this.selections.get(peer);
			boolean selects = peer.selects(identity);
			if (selects && selected.add(identity.id())) {
				changed.add(peer);
			}
			else if (!selects) {
				selected.remove(identity.id());
			}
		}
		return changed;
	}

	/**
	 * Remove an identity.
	 * @param id the identity number
	 * @return the registered selectors that selected it
	 */
	public List<Peer> removeIdentity(long id) {
		Identity previous = this.identities.remove(id);
		if (previous == null) {
			return List.of();
		}
		unindex(previous);
		List<Peer> changed = new ArrayList<>();
		for (Peer peer : candidateSelectors(previous)) {
			if (this.selections.get(peer).remove(id)) {
				changed.add(peer);
			}
		}
		return changed;
	}

	/**
	 * Forget selectors no rule uses any more.
	 * @param inUse the selectors still in use
	 */
	public void retainOnly(Set<Peer> inUse) {
		for (Peer peer : new ArrayList<>(this.selections.keySet())) {
			if (!inUse.contains(peer)) {
				this.selections.remove(peer);
				indexSelector(peer, false);
			}
		}
	}

	/**
	 * A copy of every registered selector's current selection, in registration order
	 * (upstream's {@code cilium-dbg policy selectors}).
	 * @return selector to selected identity numbers, sorted
	 */
	public Map<Peer, SortedSet<Long>> snapshot() {
		Map<Peer, SortedSet<Long>> copy = new LinkedHashMap<>();
		this.selections.forEach((peer, selected) -> copy.put(peer, new TreeSet<>(selected)));
		return copy;
	}

	public Identity identity(long id) {
		return this.identities.get(id);
	}

	public Collection<Identity> identities() {
		return Collections.unmodifiableCollection(this.identities.values());
	}

	public int selectorCount() {
		return this.selections.size();
	}

	private Collection<Identity> candidates(Peer peer) {
		Requirement first = firstIn(peer);
		if (first == null) {
			return this.identities.values();
		}
		Map<String, Set<Long>> byValue = this.index.getOrDefault(first.key().key(), Map.of());
		List<Identity> candidates = new ArrayList<>();
		for (String value : first.values()) {
			for (Long id : byValue.getOrDefault(value, Set.of())) {
				candidates.add(this.identities.get(id));
			}
		}
		return candidates;
	}

	// Selectors that may select the identity: those indexed under one of its labels, and
	// the
	// unindexed ones. A selector's first In requirement must hold for it to select
	// anything.
	private Collection<Peer> candidateSelectors(Identity identity) {
		Set<Peer> candidates = new LinkedHashSet<>(this.unindexedSelectors);
		for (Label label : identity.labels().toList()) {
			List<Peer> peers = this.selectorIndex.getOrDefault(label.key(), Map.of()).get(label.value());
			if (peers != null) {
				candidates.addAll(peers);
			}
		}
		return candidates;
	}

	private void indexSelector(Peer peer, boolean add) {
		Requirement first = firstIn(peer);
		if (first == null) {
			if (add) {
				this.unindexedSelectors.add(peer);
			}
			else {
				this.unindexedSelectors.remove(peer);
			}
			return;
		}
		for (String value : first.values()) {
			List<Peer> peers = this.selectorIndex.computeIfAbsent(first.key().key(), (k) -> new HashMap<>())
				.computeIfAbsent(value, (v) -> new ArrayList<>());
			if (add) {
				peers.add(peer);
			}
			else {
				peers.remove(peer);
			}
		}
	}

	private static Requirement firstIn(Peer peer) {
		if (peer instanceof Peer.Endpoints endpoints) {
			for (Requirement requirement : endpoints.selector().requirements()) {
				if (requirement.operator() == Operator.IN) {
					return requirement;
				}
			}
		}
		return null;
	}

	private void indexIdentity(Identity identity) {
		for (Label label : identity.labels().toList()) {
			this.index.computeIfAbsent(label.key(), (k) -> new HashMap<>())
				.computeIfAbsent(label.value(), (v) -> new HashSet<>())
				.add(identity.id());
		}
	}

	private void unindex(Identity identity) {
		for (Label label : identity.labels().toList()) {
			Map<String, Set<Long>> byValue = this.index.get(label.key());
			if (byValue != null && byValue.containsKey(label.value())) {
				byValue.get(label.value()).remove(identity.id());
			}
		}
	}

}
