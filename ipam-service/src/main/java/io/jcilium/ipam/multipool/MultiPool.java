package io.jcilium.ipam.multipool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

import io.jcilium.ipam.block.BlockAllocator;
import io.jcilium.ipam.block.BlockSpace;
import io.jcilium.ipam.block.BlockStore;
import io.jcilium.ipam.block.Family;
import io.jcilium.ipam.block.Pool;
import io.jcilium.ipam.block.PoolChangedException;
import io.jcilium.ipam.block.PoolUsage;

/**
 * The multi-pool pools and their blocks. A node asks for as many blocks of a pool as it
 * needs (upstream's {@code spec.ipam.pools.requested}); asking again for the same count
 * changes nothing, so the operator can repeat requests freely.
 * <p>
 * Pools come from ipam-service's configuration (fixed, per replica) or from the API
 * ({@link #upsert}, the operator's copy of the {@code CiliumPodIPPool}s), which the
 * {@link BlockStore} keeps, so every replica and a restarted one see the same pools. A
 * change is validated against every other pool and stored only if no pool changed
 * meanwhile (else validated again), so a bad pool leaves the one in force. A claim from a
 * stored pool checks the pool's definition in the same atomic step that takes the block,
 * and a deletion checks that no block is held in the same atomic step that deletes: no
 * block ever outlives its pool, whichever replica does what.
 */
public final class MultiPool {

	/** Tries of an operation that raced with changes of other replicas. */
	private static final int ATTEMPTS = 5;

	private final Map<String, Pool> configured = new TreeMap<>();

	private final List<Pool> others;

	private final BlockAllocator allocator;

	private final StoredPools stored;

	/**
	 * @param pools the configured pools
	 * @param others pools defined elsewhere (the cluster pool) that these must not
	 * overlap
	 * @param allocator the shared block allocator
	 * @param store where API-defined pools are kept (the allocator's store)
	 */
	public MultiPool(Collection<Pool> pools, Collection<Pool> others, BlockAllocator allocator, BlockStore store) {
		this.others = List.copyOf(others);
		this.allocator = allocator;
		this.stored = new StoredPools(store);
		for (Pool pool : pools) {
			requireNotReserved(pool.name());
			this.configured.put(pool.name(), pool);
		}
		requireDisjoint(this.configured.values());
	}

	/**
	 * Creates or replaces a pool defined through the API.
	 * @return whether anything changed
	 * @throws IllegalArgumentException when the pool is invalid; nothing changes then
	 */
	public boolean upsert(Pool pool) {
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

	/**
	 * Deletes a pool defined through the API.
	 * @return whether it existed
	 * @throws PoolInUseException while nodes hold blocks of it
	 */
	public boolean remove(String name) {
		requireNotConfigured(name, "deleted");
		long outcome = this.stored.remove(name);
		if (outcome > 0) {
			throw new PoolInUseException(name, outcome);
		}
		return outcome == 0;
	}

	/** Whether the pool comes from ipam-service's configuration. */
	public boolean isConfigured(String name) {
		return this.configured.containsKey(name);
	}

	/**
	 * Makes sure {@code node} holds at least {@code count} blocks of {@code family} from
	 * {@code pool}.
	 * @return every block the node holds there, oldest first
	 * @throws UnknownPoolException when no such pool exists (also when another replica
	 * deleted it meanwhile)
	 */
	public List<String> allocate(String pool, String node, Family family, int count) {
		Pool fixed = this.configured.get(pool);
		if (fixed != null) {
			return this.allocator.ensure(fixed.space(family), node, count);
		}
		StoredPools.Snapshot snapshot = this.stored.last();
		if (!snapshot.pools().containsKey(pool)) {
			// Possibly defined by another replica since this one last looked.
			snapshot = this.stored.current();
		}
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Pool current = snapshot.pools().get(pool);
			if (current == null) {
				throw new UnknownPoolException(pool, all(snapshot).keySet());
			}
			try {
				return this.allocator.ensure(current.space(family), node, count, snapshot.guard(pool));
			}
			catch (PoolChangedException ex) {
				snapshot = this.stored.current();
			}
		}
		throw new PoolChangedException(pool);
	}

	/** Frees one block if the node holds it. */
	public boolean release(String pool, String node, String cidr) {
		for (BlockSpace space : pool(pool).spaces()) {
			if (this.allocator.release(space, node, cidr)) {
				return true;
			}
		}
		return false;
	}

	/** Every block the node holds, by pool name, IPv4 before IPv6. */
	public List<NodeBlock> blocksOf(String node) {
		List<NodeBlock> blocks = new ArrayList<>();
		for (Pool pool : all(this.stored.current()).values()) {
			for (BlockSpace space : pool.spaces()) {
				this.allocator.blocksOf(space, node)
					.forEach((cidr) -> blocks.add(new NodeBlock(pool.name(), node, cidr)));
			}
		}
		return blocks;
	}

	/** Frees every block the node holds in any pool; returns them. */
	public List<NodeBlock> releaseAll(String node) {
		List<NodeBlock> released = new ArrayList<>();
		for (Pool pool : all(this.stored.current()).values()) {
			for (BlockSpace space : pool.spaces()) {
				this.allocator.releaseAll(space, node)
					.forEach((cidr) -> released.add(new NodeBlock(pool.name(), node, cidr)));
			}
		}
		return released;
	}

	/** Nodes holding a block of any pool. */
	public Set<String> nodes() {
		Set<String> nodes = new HashSet<>();
		for (Pool pool : all(this.stored.current()).values()) {
			pool.spaces().forEach((space) -> nodes.addAll(this.allocator.nodes(space)));
		}
		return nodes;
	}

	/** The pools from ipam-service's configuration, by name; no store access. */
	public List<Pool> configuredPools() {
		return List.copyOf(this.configured.values());
	}

	/** The pools, by name. */
	public List<Pool> pools() {
		return List.copyOf(all(this.stored.current()).values());
	}

	public List<PoolUsage> usages() {
		return pools().stream().map((pool) -> PoolUsage.of(pool, this.allocator)).toList();
	}

	private Pool pool(String name) {
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
	private Map<String, Pool> all(StoredPools.Snapshot snapshot) {
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
