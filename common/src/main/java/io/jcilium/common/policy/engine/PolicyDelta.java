package io.jcilium.common.policy.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The changes one update made to the policy of local endpoints: per endpoint identity,
 * the map entries added and removed and the resulting enforcement flags. Endpoints that
 * did not change are absent.
 *
 * @param changes one change per affected endpoint identity, by identity
 */
public record PolicyDelta(List<EndpointChange> changes) {

	public PolicyDelta {
		changes = List.copyOf(changes);
	}

	public boolean isEmpty() {
		return this.changes.isEmpty();
	}

	/**
	 * How many entries were added or removed in total.
	 * @return the number of entry changes
	 */
	public int entryChanges() {
		return this.changes.stream().mapToInt((c) -> c.added().size() + c.removed().size()).sum();
	}

	/**
	 * The change of one endpoint identity.
	 *
	 * @param identity the endpoint identity
	 * @param ingressEnforced ingress enforcement after the update
	 * @param egressEnforced egress enforcement after the update
	 * @param added entries to insert
	 * @param removed entries to delete
	 */
	public record EndpointChange(long identity, boolean ingressEnforced, boolean egressEnforced,
			SortedSet<MapEntry> added, SortedSet<MapEntry> removed) {

		public EndpointChange {
			added = Collections.unmodifiableSortedSet(new TreeSet<>(added));
			removed = Collections.unmodifiableSortedSet(new TreeSet<>(removed));
		}

	}

	/**
	 * Collects entry changes; an add and a remove of the same entry cancel out.
	 */
	static final class Builder {

		private final Map<Long, TreeSet<MapEntry>> added = new TreeMap<>();

		private final Map<Long, TreeSet<MapEntry>> removed = new TreeMap<>();

		private final Map<Long, boolean[]> flags = new TreeMap<>();

		void add(long endpoint, MapEntry entry) {
			if (!this.removed.computeIfAbsent(endpoint, (k) -> new TreeSet<>()).remove(entry)) {
				this.added.computeIfAbsent(endpoint, (k) -> new TreeSet<>()).add(entry);
			}
		}

		void remove(long endpoint, MapEntry entry) {
			if (!this.added.computeIfAbsent(endpoint, (k) -> new TreeSet<>()).remove(entry)) {
				this.removed.computeIfAbsent(endpoint, (k) -> new TreeSet<>()).add(entry);
			}
		}

		void flags(long endpoint, boolean ingress, boolean egress, boolean changed) {
			this.flags.put(endpoint, new boolean[] { ingress, egress, changed });
		}

		PolicyDelta build(Map<Long, boolean[]> currentFlags) {
			TreeSet<Long> endpoints = new TreeSet<>();
			this.added.forEach((id, set) -> {
				if (!set.isEmpty()) {
					endpoints.add(id);
				}
			});
			this.removed.forEach((id, set) -> {
				if (!set.isEmpty()) {
					endpoints.add(id);
				}
			});
			this.flags.forEach((id, f) -> {
				if (f[2]) {
					endpoints.add(id);
				}
			});
			List<EndpointChange> changes = new ArrayList<>();
			for (long id : endpoints) {
				boolean[] f = currentFlags.getOrDefault(id, new boolean[] { false, false });
				changes.add(new EndpointChange(id, f[0], f[1], this.added.getOrDefault(id, new TreeSet<>()),
						this.removed.getOrDefault(id, new TreeSet<>())));
			}
			return new PolicyDelta(changes);
		}

	}

}
