package io.jcilium.ipam.multipool;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.ipam.block.BlockAllocator;
import io.jcilium.ipam.block.BlockStore;
import io.jcilium.ipam.block.Pool;
import io.jcilium.ipam.block.PoolMetrics;
import io.jcilium.ipam.clusterpool.ClusterPool;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the multi-pool pools from configuration; overlapping or malformed pools fail the
 * start with the pools named.
 */
@Configuration(proxyBeanMethods = false)
class MultiPoolConfiguration {

	@Bean
	MultiPool multiPool(MultiPoolProperties properties, ObjectProvider<ClusterPool> clusterPool,
			BlockAllocator blockAllocator, BlockStore blockStore) {
		List<Pool> pools = properties.pools()
			.entrySet()
			.stream()
			.map((entry) -> Pool.of(entry.getKey(), entry.getValue().ipv4Cidrs(), entry.getValue().ipv4MaskSize(),
					entry.getValue().ipv6Cidrs(), entry.getValue().ipv6MaskSize()))
			.toList();
		// The cluster pool's space is reserved; in multi-pool mode there is none, as
		// upstream has none, and pools may use any space.
		List<Pool> reserved = clusterPool.stream().map(ClusterPool::pool).toList();
		return new MultiPool(pools, reserved, blockAllocator, blockStore);
	}

	@Bean
	PoolMetrics poolMetrics(MultiPool multiPool, ObjectProvider<ClusterPool> clusterPool,
			BlockAllocator blockAllocator) {
		return new PoolMetrics(() -> {
			List<Pool> pools = new ArrayList<>();
			clusterPool.ifAvailable((cluster) -> pools.add(cluster.pool()));
			// Bound at start, when Redis may be down: the configured pools only (pools
			// from the API come and go; ListPools reports their usage).
			pools.addAll(multiPool.configuredPools());
			return pools;
		}, blockAllocator);
	}

}
