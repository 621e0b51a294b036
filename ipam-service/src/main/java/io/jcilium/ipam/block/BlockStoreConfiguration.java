package io.jcilium.ipam.block;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Wires the Redis block store and the allocator shared by cluster-pool and multi-pool.
 * Nothing talks to Redis until the first request.
 */
@Configuration(proxyBeanMethods = false)
class BlockStoreConfiguration {

	@Bean
	BlockStore blockStore(StringRedisTemplate redis, BlockStoreProperties properties) {
		return new RedisBlockStore(redis, properties.keyPrefix());
	}

	@Bean
	BlockAllocator blockAllocator(BlockStore blockStore) {
		return new BlockAllocator(blockStore);
	}

}
