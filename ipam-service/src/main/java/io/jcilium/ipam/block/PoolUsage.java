package io.jcilium.ipam.block;

import java.util.ArrayList;
import java.util.List;

/**
 * A pool's configuration and how many of its blocks are held.
 *
 * @param name the pool's name
 * @param cidrs every CIDR of the pool, IPv4 first
 * @param ipv4MaskSize block size for IPv4 (0 without IPv4)
 * @param ipv6MaskSize block size for IPv6 (0 without IPv6)
 * @param blocksInUse blocks held by nodes
 * @param blocksTotal blocks the pool has
 */
public record PoolUsage(String name, List<String> cidrs, int ipv4MaskSize, int ipv6MaskSize, long blocksInUse,
		long blocksTotal) {

	public static PoolUsage of(Pool pool, BlockAllocator allocator) {
		List<String> cidrs = new ArrayList<>();
		long inUse = 0;
		long total = 0;
		for (BlockSpace space : pool.spaces()) {
			cidrs.addAll(space.cidrs());
			inUse += allocator.inUse(space);
			total += space.total();
		}
		return new PoolUsage(pool.name(), cidrs, pool.ipv4().isEmpty() ? 0 : pool.ipv4().maskSize(),
				pool.ipv6().isEmpty() ? 0 : pool.ipv6().maskSize(), inUse, total);
	}

}
