package io.jcilium.ipam.multipool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 * <p>
 * This class hands out and frees blocks; which pools exist and how they may change is
 * {@link PoolDefinitions}'.
 */
public final class MultiPool {

	private final PoolDefinitions definitions;

	private final BlockAllocator allocator;

	/**
	 * @param pools the configured pools
	 * @param others pools defined elsewhere (the cluster pool) that these must not
	 * overlap
	 * @param allocator the shared block allocator
	 * @param store where API-defined pools are kept (the allocator's store)
	 */
	public MultiPool(Collection<Pool> pools, Collection<Pool> others, BlockAllocator allocator, BlockStore store) {
		this.definitions = new PoolDefinitions(pools, others, allocator, store);
		this.allocator = allocator;
	}

	/**
	 * Creates or replaces a pool defined through the API.
	 * @return whether anything changed
	 * @throws IllegalArgumentException when the pool is invalid; nothing changes then
	 */
	public boolean upsert(Pool pool) {
		return this.definitions.upsert(pool);
	}

	/**
	 * Deletes a pool defined through the API.
	 * @return whether it existed
	 * @throws PoolInUseException while nodes hold blocks of it
	 */
	public boolean remove(String name) {
		return this.definitions.remove(name);
	}

	/** Whether the pool comes from ipam-service's configuration. */
	public boolean isConfigured(String name) {
		return this.definitions.configured(name) != null;
	}

	/**
	 * Makes sure {@code node} holds at least {@code count} blocks of {@code family} from
	 * {@code pool}.
	 * @return every block the node holds there, oldest first
	 * @throws UnknownPoolException when no such pool exists (also when another replica
	 * deleted it meanwhile)
	 */
	public List<String> allocate(String pool, String node, Family family, int count) {
		Pool fixed = this.definitions.configured(pool);
		if (fixed != null) {
			return this.allocator.ensure(fixed.space(family), node, count);
		}
		StoredPools.Snapshot snapshot = this.definitions.lastStored();
		if (!snapshot.pools().containsKey(pool)) {
			// Possibly defined by another replica since this one last looked.
			snapshot = this.definitions.currentStored();
		}
		for (int attempt = 0; attempt < PoolDefinitions.ATTEMPTS; attempt++) {
			Pool current = snapshot.pools().get(pool);
			if (current == null) {
				throw new UnknownPoolException(pool, this.definitions.all(snapshot).keySet());
			}
			try {
				return this.allocator.ensure(current.space(family), node, count, snapshot.guard(pool));
			}
			catch (PoolChangedException ex) {
				snapshot = this.definitions.currentStored();
			}
		}
		throw new PoolChangedException(pool);
	}

	/** Frees one block if the node holds it. */
	public boolean release(String pool, String node, String cidr) {
		for (BlockSpace space : this.definitions.pool(pool).spaces()) {
			if (this.allocator.release(space, node, cidr)) {
				return true;
			}
		}
		return false;
	}

	/** Every block the node holds, by pool name, IPv4 before IPv6. */
	public List<NodeBlock> blocksOf(String node) {
		List<NodeBlock> blocks = new ArrayList<>();
		for (Pool pool : this.definitions.pools()) {
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
		for (Pool pool : this.definitions.pools()) {
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
		for (Pool pool : this.definitions.pools()) {
			pool.spaces().forEach((space) -> nodes.addAll(this.allocator.nodes(space)));
		}
		return nodes;
	}

	/** The pools from ipam-service's configuration, by name; no store access. */
	public List<Pool> configuredPools() {
		return this.definitions.configuredPools();
	}

	/** The pools, by name. */
	public List<Pool> pools() {
		return this.definitions.pools();
	}

	public List<PoolUsage> usages() {
		return pools().stream().map((pool) -> PoolUsage.of(pool, this.allocator)).toList();
	}

}
