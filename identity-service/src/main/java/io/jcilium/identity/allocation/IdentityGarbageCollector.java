package io.jcilium.identity.allocation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.identity.allocation.IdentityStore.IdentityChange;

/**
 * Frees identities nobody uses, in two passes: a pass marks each unreferenced identity,
 * the next pass frees those still unreferenced with the same stamp, that is, not touched
 * in between. A node that releases and re-allocates (a pod restarting) within one
 * interval so keeps its number, and a re-allocation racing the free is decided by the
 * store atomically.
 */
public final class IdentityGarbageCollector {

	private final IdentityStore store;

	private final IdentityCache cache;

	private final AllocationMetrics metrics;

	private Map<Integer, Long> marked = Map.of();

	IdentityGarbageCollector(IdentityStore store, IdentityCache cache, AllocationMetrics metrics) {
		this.store = store;
		this.cache = cache;
		this.metrics = metrics;
	}

	/** One pass: expire leases, free what the previous pass marked, mark the rest. */
	public synchronized Pass runPass() {
		int referencesExpired = this.store.expireLeases();
		Map<Integer, Long> unreferenced = this.store.unreferencedIds();
		Map<Integer, Long> due = new HashMap<>();
		Map<Integer, Long> nextMarks = new HashMap<>();
		unreferenced.forEach((id, stamp) -> {
			if (stamp.equals(this.marked.get(id))) {
				due.put(id, stamp);
			}
			else {
				nextMarks.put(id, stamp);
			}
		});
		List<IdentityChange> freed = due.isEmpty() ? List.of() : this.store.freeIfUnreferenced(due);
		freed.forEach(this.cache::apply);
		this.marked = nextMarks;
		this.metrics.collected(referencesExpired, freed.size());
		return new Pass(referencesExpired, nextMarks.size(), freed.size());
	}

	/**
	 * What a pass did.
	 *
	 * @param referencesExpired references dropped because their node's lease expired
	 * @param marked identities marked to be freed by the next pass
	 * @param freed identities freed
	 */
	public record Pass(int referencesExpired, int marked, int freed) {
	}

}
