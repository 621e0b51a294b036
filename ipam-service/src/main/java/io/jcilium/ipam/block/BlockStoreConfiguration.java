package io.jcilium.ipam.block;

import io.jcilium.redis.RedisCredentialsCheck;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Wires the Redis block store and the allocator shared by cluster-pool and multi-pool. At
 * start, only a check that Redis accepts the service's credentials talks to Redis.
 */
@Configuration(proxyBeanMethods = false)
class BlockStoreConfiguration {

	@Bean
	BlockStore blockStore(StringRedisTemplate redis, BlockStoreProperties properties) {
		if (redis.getRequiredConnectionFactory() instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware()
				&& !RedisBlockStore.hasHashTag(properties.keyPrefix())) {
			// A pool's scripts touch the pools hash and the pool's block hashes together;
			// a cluster refuses (CROSSSLOT) keys in different slots, so every key must
			// share the prefix's hash tag. The default has none: changing it would move
			// the data of every existing installation.
			throw new IllegalStateException("jcilium.ipam.store.key-prefix '" + properties.keyPrefix()
					+ "' has no {hash tag}, so on Redis Cluster a pool's keys would land in different slots: "
					+ "set it to e.g. '{jcilium:ipam}:'");
		}
		return new RedisBlockStore(redis, properties.keyPrefix());
	}

	@Bean
	RedisCredentialsCheck ipamRedisCredentialsCheck(RedisConnectionFactory connectionFactory,
			DataRedisConnectionDetails connectionDetails) {
		return new RedisCredentialsCheck("ipam-service", connectionFactory, connectionDetails);
	}

	@Bean
	BlockAllocator blockAllocator(BlockStore blockStore) {
		return new BlockAllocator(blockStore);
	}

}
