package io.jcilium.ipam.multipool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

import io.jcilium.ipam.block.BlockAllocator;
import io.jcilium.ipam.block.BlockSpace;
import io.jcilium.ipam.block.BlockStore;
import io.jcilium.ipam.block.Family;
import io.jcilium.ipam.block.Pool;
import io.jcilium.ipam.block.PoolChangedException;

/**
 * Which multi-pool pools exist and whether one may change: the configured ones (fixed,
 * per replica) and those defined through the API (kept in the {@link BlockStore}), the
 * rules a change must pass (no reserved or configured name, disjoint from every other
 * pool, no new mask size while blocks are held), and the optimistic retry when another
 * replica changed the pools meanwhile.
 */
final class PoolDefinitions {

	/** Tries of an operation that raced with changes of other replicas. */
	static final int ATTEMPTS = 5;

	private final Map<String, Pool> configured = new TreeMap<>();

	private final List<Pool> others;

	private final BlockAllocator allocator;

	private final StoredPools stored;

	PoolDefinitions(Collection<Pool> pools, Collection<Pool> others, BlockAllocator allocator, BlockStore store) {
		this.others = List.copyOf(others);
		this.allocator = allocator;
		this.stored = new StoredPools(store);
		for (Pool pool : pools) {
			requireNotReserved(pool.name());
			this.configured.put(pool.name(), pool);
		}
		requireDisjoint(this.configured.values());
	}

	boolean upsert(Pool pool) {
		requireNotReserved(pool.name());
		requireNotConfigured(pool.name(), "changed");
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			StoredPools.Snapshot snapshot = this.stored.current();
			Pool current = snapshot.pools().get(pool.name());
			if (current != null && sameDefinition(current, pool)) {
				return false;
			}
			pool.spaces().forEach(this::requireSameMaskWhileInUse);
			Map<String, Pool> next = all(snapshot);
			next.put(pool.name(), pool);
			requireDisjoint(next.values());
			if (this.stored.put(pool, snapshot.version()) == BlockStore.PutOutcome.STORED) {
				return true;
			}
			// Another replica changed a pool or took a block meanwhile: validate again.
		}
		throw new PoolChangedException(pool.name());
	}

	boolean remove(String name) {
		requireNotConfigured(name, "deleted");
		long outcome = this.stored.remove(name);
		if (outcome > 0) {
			throw new PoolInUseException(name, outcome);
		}
		return outcome == 0;
	}

	/** A configured pool, or {@code null}. */
	Pool configured(String name) {
		return this.configured.get(name);
	}

	List<Pool> configuredPools() {
		return List.copyOf(this.configured.values());
	}

	/** The stored pools as last read, without a store access. */
	StoredPools.Snapshot lastStored() {
		return this.stored.last();
	}

	/** The stored pools as they are now. */
	StoredPools.Snapshot currentStored() {
		return this.stored.current();
	}

	/** Every pool as it is now, by name. */
	List<Pool> pools() {
		return List.copyOf(all(this.stored.current()).values());
	}

	/**
	 * A pool as it is now.
	 * @throws UnknownPoolException when there is none of that name
	 */
	Pool pool(String name) {
		Map<String, Pool> all = all(this.stored.current());
		Pool pool = all.get(name);
		if (pool == null) {
			throw new UnknownPoolException(name, all.keySet());
		}
		return pool;
	}

	/**
	 * Configured and stored pools by name; a configured pool wins over a stored namesake.
	 */
	Map<String, Pool> all(StoredPools.Snapshot snapshot) {
		Map<String, Pool> all = new TreeMap<>(snapshot.pools());
		all.putAll(this.configured);
		return all;
	}

	private void requireNotReserved(String name) {
		for (Pool other : this.others) {
			if (other.name().equals(name)) {
				throw new IllegalArgumentException("pool name '" + name + "' is reserved");
			}
		}
	}

	private void requireNotConfigured(String name, String verb) {
		if (this.configured.containsKey(name)) {
			throw new IllegalArgumentException("pool '" + name
					+ "' is defined in ipam-service's configuration (jcilium.ipam.multi-pool) and cannot be " + verb
					+ " through the API");
		}
	}

	/**
	 * Blocks of the old size would overlap blocks of the new one (a held /24 contains
	 * free /25 candidates), so the size is fixed while any block is held. Checked against
	 * the store, so it holds also when this process restarted since the pool was set.
	 */
	private void requireSameMaskWhileInUse(BlockSpace wanted) {
		OptionalInt held = this.allocator.heldMaskSize(wanted);
		if (held.isPresent() && held.getAsInt() != wanted.maskSize()) {
			throw new IllegalArgumentException("pool '" + wanted.pool() + "': the " + wanted.family().displayName()
					+ " mask size cannot change from /" + held.getAsInt() + " to /" + wanted.maskSize() + " while "
					+ this.allocator.inUse(wanted) + " blocks are allocated to nodes");
		}
	}

	private static boolean sameDefinition(Pool a, Pool b) {
		for (Family family : Family.values()) {
			BlockSpace x = a.space(family);
			BlockSpace y = b.space(family);
			if (!x.cidrs().equals(y.cidrs()) || (!x.isEmpty() && x.maskSize() != y.maskSize())) {
				return false;
			}
		}
		return true;
	}

	private void requireDisjoint(Collection<Pool> pools) {
		List<Pool> all = new ArrayList<>(this.others);
		all.addAll(pools);
		Pool.requireDisjoint(all);
	}

}
