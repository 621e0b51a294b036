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
import io.jcilium.ipam.block.Family;
import io.jcilium.ipam.block.Pool;
import io.jcilium.ipam.block.PoolUsage;

/**
 * The multi-pool pools and their blocks. A node asks for as many blocks of a pool as it
 * needs (upstream's {@code spec.ipam.pools.requested}); asking again for the same count
 * changes nothing, so the operator can repeat requests freely.
 * <p>
 * Pools come from ipam-service's configuration (fixed) or from the API ({@link #upsert},
 * the operator's copy of the {@code CiliumPodIPPool}s). A change is validated against
 * every other pool before it replaces anything, so a bad pool leaves the one in force.
 * Readers see an immutable snapshot; writers are serialised.
 */
public final class MultiPool {

	private final Set<String> configured = new HashSet<>();

	private final List<Pool> others;

	private final BlockAllocator allocator;

	private volatile Map<String, Pool> pools;

	/**
	 * @param pools the configured pools
	 * @param others pools defined elsewhere (the cluster pool) that these must not
	 * overlap
	 * @param allocator the shared block allocator
	 */
	public MultiPool(Collection<Pool> pools, Collection<Pool> others, BlockAllocator allocator) {
		this.others = List.copyOf(others);
		this.allocator = allocator;
		Map<String, Pool> initial = new TreeMap<>();
		for (Pool pool : pools) {
			requireNotReserved(pool.name());
			initial.put(pool.name(), pool);
			this.configured.add(pool.name());
		}
		requireDisjoint(initial);
		this.pools = initial;
	}

	/**
	 * Creates or replaces a pool defined through the API.
	 * @return whether anything changed
	 * @throws IllegalArgumentException when the pool is invalid; nothing changes then
	 */
	public synchronized boolean upsert(Pool pool) {
		requireNotReserved(pool.name());
		requireNotConfigured(pool.name(), "changed");
		Pool current = this.pools.get(pool.name());
		if (current != null && sameDefinition(current, pool)) {
			return false;
		}
		pool.spaces().forEach(this::requireSameMaskWhileInUse);
		Map<String, Pool> next = new TreeMap<>(this.pools);
		next.put(pool.name(), pool);
		requireDisjoint(next);
		this.pools = next;
		return true;
	}

	/**
	 * Deletes a pool defined through the API.
	 * @return whether it existed
	 * @throws PoolInUseException while nodes hold blocks of it
	 */
	public synchronized boolean remove(String name) {
		requireNotConfigured(name, "deleted");
		Pool current = this.pools.get(name);
		if (current == null) {
			return false;
		}
		long inUse = current.spaces().stream().mapToLong(this.allocator::inUse).sum();
		if (inUse > 0) {
			throw new PoolInUseException(name, inUse);
		}
		Map<String, Pool> next = new TreeMap<>(this.pools);
		next.remove(name);
		this.pools = next;
		return true;
	}

	/** Whether the pool comes from ipam-service's configuration. */
	public boolean isConfigured(String name) {
		return this.configured.contains(name);
	}

	/**
	 * Makes sure {@code node} holds at least {@code count} blocks of {@code family} from
	 * {@code pool}.
	 * @return every block the node holds there, oldest first
	 */
	public List<String> allocate(String pool, String node, Family family, int count) {
		return this.allocator.ensure(pool(pool).space(family), node, count);
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
		for (Pool pool : this.pools.values()) {
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
		for (Pool pool : this.pools.values()) {
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
		for (Pool pool : this.pools.values()) {
			pool.spaces().forEach((space) -> nodes.addAll(this.allocator.nodes(space)));
		}
		return nodes;
	}

	/** The pools, by name. */
	public List<Pool> pools() {
		return List.copyOf(this.pools.values());
	}

	public List<PoolUsage> usages() {
		return this.pools.values().stream().map((pool) -> PoolUsage.of(pool, this.allocator)).toList();
	}

	private Pool pool(String name) {
		Map<String, Pool> snapshot = this.pools;
		Pool pool = snapshot.get(name);
		if (pool == null) {
			throw new UnknownPoolException(name, snapshot.keySet());
		}
		return pool;
	}

	private void requireNotReserved(String name) {
		for (Pool other : this.others) {
			if (other.name().equals(name)) {
				throw new IllegalArgumentException("pool name '" + name + "' is reserved");
			}
		}
	}

	private void requireNotConfigured(String name, String verb) {
		if (this.configured.contains(name)) {
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

	private void requireDisjoint(Map<String, Pool> pools) {
		List<Pool> all = new ArrayList<>(this.others);
		all.addAll(pools.values());
		Pool.requireDisjoint(all);
	}

}
