package io.jcilium.agent.datapath.maps;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;
import io.jcilium.common.policy.engine.MapEntry;

/**
 * The keys one endpoint's policy map should hold, kept up to date by entry changes, so a
 * change costs what it touches rather than a recomputation of every key.
 * <p>
 * The engine's rule is "any matching deny wins". The datapath looks up the longest prefix
 * within the exact peer identity and within any-identity, and denies if either hit is a
 * deny. Across the two identities that already is "deny wins"; within one identity the
 * longest prefix hides a broader deny behind a narrower allow (allow TCP/80 under deny
 * all). Such a covered allow is therefore written as a deny, as upstream's map state does
 * when a deny entry covers an allow. A direction without enforcement gets the
 * any-identity, any-protocol allow key. Several entries may share a key (ICMP codes, an
 * allow and a deny): the key denies if any of them does.
 */
final class PolicyKeyState {

	private final Set<MapEntry> entries = new HashSet<>();

	/** Per key: how many allows and denies want it. */
	private final Map<PolicyKey, int[]> wanted = new HashMap<>();

	/**
	 * Keys by peer identity and direction, where a deny looks for the allows it covers.
	 */
	private final Map<Long, Set<PolicyKey>> byPeer = new HashMap<>();

	/** Keys with at least one deny, by peer identity and direction. */
	private final Map<Long, Set<PolicyKey>> denies = new HashMap<>();

	private boolean ingressEnforced = true;

	private boolean egressEnforced = true;

	/**
	 * Applies a change and says which keys it may have changed.
	 * @param added entries to add (present ones are ignored)
	 * @param removed entries to remove (absent ones are ignored)
	 * @param ingressEnforced ingress enforcement after the change
	 * @param egressEnforced egress enforcement after the change
	 * @return what was applied, to revert it, with the keys whose verdict may differ now
	 */
	Applied apply(Collection<MapEntry> added, Collection<MapEntry> removed, boolean ingressEnforced,
			boolean egressEnforced) {
		Applied applied = new Applied(new ArrayList<>(), new ArrayList<>(), this.ingressEnforced, this.egressEnforced,
				new HashSet<>());
		for (MapEntry entry : removed) {
			if (this.entries.remove(entry)) {
				applied.removed.add(entry);
				count(PolicyKeys.key(entry), entry.deny(), -1, applied.touched);
			}
		}
		for (MapEntry entry : added) {
			if (this.entries.add(entry)) {
				applied.added.add(entry);
				count(PolicyKeys.key(entry), entry.deny(), 1, applied.touched);
			}
		}
		enforce(false, ingressEnforced, applied.touched);
		enforce(true, egressEnforced, applied.touched);
		return applied;
	}

	/**
	 * Undoes an {@link #apply} (the last one, or several in reverse order).
	 * @param applied what it returned
	 */
	void revert(Applied applied) {
		apply(applied.removed, applied.added, applied.ingressBefore, applied.egressBefore);
	}

	/**
	 * What a key should be in the map.
	 * @param key the key
	 * @return TRUE to deny, FALSE to allow, null for no key
	 */
	Boolean verdict(PolicyKey key) {
		int[] count = this.wanted.get(key);
		if (count == null) {
			return null;
		}
		if (count[1] > 0) {
			return Boolean.TRUE;
		}
		for (PolicyKey deny : this.denies.getOrDefault(peer(key), Set.of())) {
			if (PolicyKeys.covers(deny, key)) {
				return Boolean.TRUE;
			}
		}
		return Boolean.FALSE;
	}

	/**
	 * Every key the map should hold.
	 * @return key to "deny"
	 */
	Map<PolicyKey, Boolean> desired() {
		Map<PolicyKey, Boolean> keys = new HashMap<>();
		this.wanted.keySet().forEach((key) -> keys.put(key, verdict(key)));
		return keys;
	}

	int size() {
		return this.wanted.size();
	}

	private void enforce(boolean egress, boolean enforced, Set<PolicyKey> touched) {
		boolean before = egress ? this.egressEnforced : this.ingressEnforced;
		if (before == enforced) {
			return;
		}
		if (egress) {
			this.egressEnforced = enforced;
		}
		else {
			this.ingressEnforced = enforced;
		}
		count(PolicyKeys.allowAll(egress), false, enforced ? -1 : 1, touched);
	}

	private void count(PolicyKey key, boolean deny, int delta, Set<PolicyKey> touched) {
		touched.add(key);
		int[] count = this.wanted.computeIfAbsent(key, (k) -> new int[2]);
		int index = deny ? 1 : 0;
		int before = count[index];
		count[index] += delta;
		Long peer = peer(key);
		if (count[0] == 0 && count[1] == 0) {
			this.wanted.remove(key);
			remove(this.byPeer, peer, key);
		}
		else {
			this.byPeer.computeIfAbsent(peer, (p) -> new HashSet<>()).add(key);
		}
		if (deny && (before == 0) != (count[1] == 0)) {
			// the key starts or stops denying: so do the allows it covers
			if (count[1] > 0) {
				this.denies.computeIfAbsent(peer, (p) -> new HashSet<>()).add(key);
			}
			else {
				remove(this.denies, peer, key);
			}
			for (PolicyKey other : this.byPeer.getOrDefault(peer, Set.of())) {
				if (PolicyKeys.covers(key, other)) {
					touched.add(other);
				}
			}
		}
	}

	private static void remove(Map<Long, Set<PolicyKey>> index, Long peer, PolicyKey key) {
		Set<PolicyKey> keys = index.get(peer);
		if (keys != null && keys.remove(key) && keys.isEmpty()) {
			index.remove(peer);
		}
	}

	private static Long peer(PolicyKey key) {
		return ((key.identity() & 0xffffffffL) << 1) | (key.egress() ? 1 : 0);
	}

	/**
	 * What one {@link #apply} changed.
	 *
	 * @param added entries it added
	 * @param removed entries it removed
	 * @param ingressBefore ingress enforcement before it
	 * @param egressBefore egress enforcement before it
	 * @param touched keys whose verdict may have changed
	 */
	record Applied(List<MapEntry> added, List<MapEntry> removed, boolean ingressBefore, boolean egressBefore,
			Set<PolicyKey> touched) {

	}

}
