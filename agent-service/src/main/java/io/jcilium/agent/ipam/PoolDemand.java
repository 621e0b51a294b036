package io.jcilium.agent.ipam;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a node needs of each pool: the addresses in use, the pods waiting for one, and the
 * pool's pre-allocation (addresses kept free so a new pod need not wait for the
 * operator), as upstream's agent writes {@code spec.ipam.pools.requested}. A pool with
 * none of these is no longer requested, and the operator releases its blocks.
 * <p>
 * The operator turns a request into {@code ceil(addresses / blockSize)} blocks, while a
 * block gives pods three addresses fewer (network, first and last are reserved): once a
 * block's size is known, the request is rounded to the blocks the pods really need.
 */
final class PoolDemand {

	/** Network, first (gateway) and last address of each block. */
	private static final int RESERVED_PER_BLOCK = 3;

	private final Map<String, Integer> preAllocate;

	private final Map<String, Integer> waiting = new HashMap<>();

	PoolDemand(Map<String, Integer> preAllocate) {
		this.preAllocate = Map.copyOf(preAllocate);
	}

	void waiting(String pool, int delta) {
		this.waiting.merge(pool, delta, Integer::sum);
		this.waiting.remove(pool, 0);
	}

	/** Pool name to addresses to request, for every pool the node needs. */
	Map<String, Integer> requested(Collection<PoolBlock> blocks) {
		Map<String, Integer> requested = new TreeMap<>();
		for (String pool : pools(blocks)) {
			long used = blocks.stream()
				.filter((b) -> b.pool().equals(pool))
				.mapToLong((b) -> b.addresses().allocations().size())
				.sum();
			long needed = used + spare(pool);
			if (needed == 0) {
				continue;
			}
			long blockSize = blocks.stream()
				.filter((b) -> b.pool().equals(pool))
				.mapToLong((b) -> b.usable() + RESERVED_PER_BLOCK)
				.findFirst()
				.orElse(0);
			if (blockSize > RESERVED_PER_BLOCK) {
				long perBlock = blockSize - RESERVED_PER_BLOCK;
				needed = ((needed + perBlock - 1) / perBlock) * blockSize;
			}
			requested.put(pool, (int) Math.min(Integer.MAX_VALUE, needed));
		}
		return requested;
	}

	/** Whether every pool has room for its waiting pods and its pre-allocation. */
	boolean satisfied(Collection<PoolBlock> blocks) {
		return pools(blocks).stream().allMatch((pool) -> free(blocks, pool) >= spare(pool));
	}

	/**
	 * The empty blocks whose addresses the node can do without: the last ones first,
	 * while the rest of the pool still has room for its waiting pods and pre-allocation.
	 */
	List<PoolBlock> unneeded(Collection<PoolBlock> blocks) {
		List<PoolBlock> unneeded = new ArrayList<>();
		for (String pool : pools(blocks)) {
			long free = free(blocks, pool);
			List<PoolBlock> empty = blocks.stream()
				.filter((b) -> b.pool().equals(pool) && b.empty())
				.sorted(Comparator.comparing(PoolBlock::cidr).reversed())
				.toList();
			for (PoolBlock block : empty) {
				if (free - block.usable() >= spare(pool)) {
					unneeded.add(block);
					free -= block.usable();
				}
			}
		}
		return unneeded;
	}

	private long spare(String pool) {
		return this.waiting.getOrDefault(pool, 0) + this.preAllocate.getOrDefault(pool, 0);
	}

	private static long free(Collection<PoolBlock> blocks, String pool) {
		return blocks.stream().filter((b) -> b.pool().equals(pool)).mapToLong((b) -> b.addresses().available()).sum();
	}

	private TreeSet<String> pools(Collection<PoolBlock> blocks) {
		TreeSet<String> pools = new TreeSet<>(this.preAllocate.keySet());
		pools.addAll(this.waiting.keySet());
		blocks.forEach((b) -> pools.add(b.pool()));
		return pools;
	}

}
