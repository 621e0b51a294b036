package io.jcilium.common.policy.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongFunction;

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
	 * @param added entries to insert, in no particular order
	 * @param removed entries to delete, in no particular order
	 */
	public record EndpointChange(long identity, boolean ingressEnforced, boolean egressEnforced, List<MapEntry> added,
			List<MapEntry> removed) {

		public EndpointChange {
			added = Collections.unmodifiableList(added);
			removed = Collections.unmodifiableList(removed);
		}

	}

	/**
	 * Collects entry changes; an add and a remove of the same entry cancel out.
	 */
	static final class Builder {

		// Per endpoint: entry -> TRUE when added, FALSE when removed.
		private final Map<Long, Map<MapEntry, Boolean>> entries = new HashMap<>();

		private final Map<Long, Boolean> flagsChanged = new HashMap<>();

		/**
		 * The change map of one endpoint, for callers adding many entries to it.
		 */
		Map<MapEntry, Boolean> of(long endpoint) {
			return this.entries.computeIfAbsent(endpoint, (k) -> new HashMap<>());
		}

		void add(long endpoint, MapEntry entry) {
			add(of(endpoint), entry);
		}

		void remove(long endpoint, MapEntry entry) {
			remove(of(endpoint), entry);
		}

		static void add(Map<MapEntry, Boolean> changes, MapEntry entry) {
			if (changes.get(entry) == Boolean.FALSE) {
				changes.remove(entry);
			}
			else {
				changes.put(entry, Boolean.TRUE);
			}
		}

		static void remove(Map<MapEntry, Boolean> changes, MapEntry entry) {
			if (changes.get(entry) == Boolean.TRUE) {
				changes.remove(entry);
			}
			else {
				changes.put(entry, Boolean.FALSE);
			}
		}

		void flags(long endpoint, boolean changed) {
			if (changed) {
				this.flagsChanged.put(endpoint, true);
			}
		}

		/**
		 * The delta.
		 * @param currentFlags the enforcement flags of an endpoint after the update, or
		 * {@code null} if it is gone
		 */
		PolicyDelta build(LongFunction<boolean[]> currentFlags) {
			TreeSet<Long> endpoints = new TreeSet<>(this.flagsChanged.keySet());
			this.entries.forEach((id, changes) -> {
				if (!changes.isEmpty()) {
					endpoints.add(id);
				}
			});
			List<EndpointChange> out = new ArrayList<>(endpoints.size());
			for (long id : endpoints) {
				List<MapEntry> added = new ArrayList<>();
				List<MapEntry> removed = new ArrayList<>();
				this.entries.getOrDefault(id, Map.of()).forEach((entry, isAdd) -> (isAdd ? added : removed).add(entry));
				boolean[] flags = currentFlags.apply(id);
				out.add(new EndpointChange(id, flags != null && flags[0], flags != null && flags[1], added, removed));
			}
			return new PolicyDelta(out);
		}

	}

}
