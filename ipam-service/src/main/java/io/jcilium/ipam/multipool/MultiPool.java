package io.jcilium.ipam.multipool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
 */
public final class MultiPool {

	private final Map<String, Pool> pools = new TreeMap<>();

	private final BlockAllocator allocator;

	/**
	 * @param pools the configured pools
	 * @param others pools defined elsewhere (the cluster pool) that these must not
	 * overlap
	 * @param allocator the shared block allocator
	 */
	public MultiPool(Collection<Pool> pools, Collection<Pool> others, BlockAllocator allocator) {
		List<Pool> all = new ArrayList<>(others);
		all.addAll(pools);
		Pool.requireDisjoint(all);
		for (Pool pool : pools) {
			for (Pool other : others) {
				if (other.name().equals(pool.name())) {
					throw new IllegalArgumentException("pool name '" + pool.name() + "' is reserved");
				}
			}
			this.pools.put(pool.name(), pool);
		}
		this.allocator = allocator;
	}

	/**
	 * Makes sure {@code node} holds at least {@code count} blocks of {@code family} from
	 * {@code pool}.
	 * @return every block the node holds there, oldest first
	 */
	public List<String> allocate(String pool, String node, Family family, int count) {
		return this.allocator.ensure(space(pool, family), node, count);
	}

	/** Frees one block if the node holds it. */
	public boolean release(String pool, String node, String cidr) {
		Pool found = pool(pool);
		for (BlockSpace space : found.spaces()) {
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

	public List<PoolUsage> usages() {
		return this.pools.values().stream().map((pool) -> PoolUsage.of(pool, this.allocator)).toList();
	}

	private BlockSpace space(String pool, Family family) {
		return pool(pool).space(family);
	}

	private Pool pool(String name) {
		Pool pool = this.pools.get(name);
		if (pool == null) {
			throw new UnknownPoolException(name, this.pools.keySet());
		}
		return pool;
	}

}
