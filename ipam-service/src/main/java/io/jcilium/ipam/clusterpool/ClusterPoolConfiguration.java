package io.jcilium.ipam.clusterpool;

import io.jcilium.ipam.block.BlockAllocator;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the cluster pool; a bad CIDR or mask size fails the start with the reason.
 */
@Configuration(proxyBeanMethods = false)
class ClusterPoolConfiguration {

	@Bean
	ClusterPool clusterPool(ClusterPoolProperties properties, BlockAllocator blockAllocator) {
		return new ClusterPool(properties, blockAllocator);
	}

}
