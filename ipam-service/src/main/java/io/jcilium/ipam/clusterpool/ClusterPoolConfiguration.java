package io.jcilium.ipam.clusterpool;

import io.jcilium.ipam.block.BlockAllocator;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the cluster pool in cluster-pool mode ({@link IpamModeProperties}); in multi-pool
 * mode there is none. A bad CIDR, mask size or mode fails the start with the reason.
 */
@Configuration(proxyBeanMethods = false)
class ClusterPoolConfiguration {

	@Bean
	@ConditionalOnProperty(name = IpamModeProperties.PROPERTY, havingValue = IpamModeProperties.CLUSTER_POOL,
			matchIfMissing = true)
	ClusterPool clusterPool(ClusterPoolProperties properties, BlockAllocator blockAllocator) {
		return new ClusterPool(properties, blockAllocator);
	}

}
