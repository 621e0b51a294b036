package io.jcilium.identity.redis;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.jcilium.redis.RedisCredentialsCheck;
import io.jcilium.identity.allocation.AllocationProperties;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Wires the Redis identity store: Lettuce tuned to fail fast while Redis is away and to
 * reconnect quickly, the change feed, and Resilience4j around every call (plain
 * Resilience4j: its Spring Boot 3 integration does not start on Boot 4).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdentityRedisProperties.class)
class RedisConfiguration {

	@Bean
	LettuceClientConfigurationBuilderCustomizer identityLettuceTimeouts(IdentityRedisProperties properties) {
		return (builder) -> builder.commandTimeout(properties.commandTimeout());
	}

	@Bean
	LettuceClientOptionsBuilderCustomizer identityLettuceFailFast() {
		// Lettuce queues commands while disconnected by default, so each caller would
		// wait for its timeout; rejecting them turns an outage into an immediate error.
		return (builder) -> builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.autoReconnect(true);
	}

	@Bean
	ClientResourcesBuilderCustomizer identityLettuceReconnect(IdentityRedisProperties properties) {
		// The default backoff grows to 30 s, which would keep us down long after Redis is
		// back.
		return (builder) -> builder.reconnectDelay(Delay.exponential(java.time.Duration.ofMillis(50),
				properties.reconnectDelayMax(), 2, TimeUnit.MILLISECONDS));
	}

	@Bean
	RedisCredentialsCheck identityRedisCredentialsCheck(RedisConnectionFactory connectionFactory,
			DataRedisConnectionDetails connectionDetails) {
		return new RedisCredentialsCheck("identity-service", connectionFactory, connectionDetails);
	}

	@Bean
	RedisChangeFeed identityChangeFeed(LettuceConnectionFactory connectionFactory, IdentityRedisProperties properties) {
		return new RedisChangeFeed(connectionFactory, new RedisKeys(properties.keyPrefix()).channel());
	}

	@Bean
	CircuitBreakerRegistry identityCircuitBreakerRegistry(IdentityRedisProperties properties) {
		IdentityRedisProperties.CircuitBreakerSettings settings = properties.circuitBreaker();
		return CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.failureRateThreshold(settings.failureRateThreshold())
			.slidingWindowSize(settings.slidingWindowSize())
			.minimumNumberOfCalls(settings.minimumCalls())
			.waitDurationInOpenState(settings.waitInOpen())
			.recordExceptions(DataAccessException.class)
			.build());
	}

	@Bean
	MeterBinder identityCircuitBreakerMetrics(CircuitBreakerRegistry identityCircuitBreakerRegistry) {
		return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(identityCircuitBreakerRegistry);
	}

	@Bean
	GuardedIdentityStore identityStore(StringRedisTemplate redis, RedisChangeFeed identityChangeFeed,
			CircuitBreakerRegistry identityCircuitBreakerRegistry, IdentityRedisProperties properties,
			AllocationProperties allocation, ScheduledExecutorService identityRedisRetryScheduler) {
		RedisIdentityStore store = new RedisIdentityStore(redis, identityChangeFeed,
				new RedisKeys(properties.keyPrefix()), allocation.maxIdentitiesPerNode(),
				allocation.maxIdentitiesPerNamespace(),
				new ReplicaAcks(properties.replicasToAck(), properties.replicaAckTimeout()));
		CircuitBreaker circuitBreaker = identityCircuitBreakerRegistry.circuitBreaker("identity-redis");
		Retry retry = Retry.of("identity-redis",
				RetryConfig.custom()
					.maxAttempts(properties.retry().maxAttempts())
					.intervalFunction(IntervalFunction.ofExponentialBackoff(properties.retry().initialBackoff(), 2.0))
					.retryExceptions(DataAccessException.class)
					// A script error is a bug, not a blip: retrying it only delays the
					// error.
					.ignoreExceptions(InvalidDataAccessApiUsageException.class)
					.build());
		return new GuardedIdentityStore(store, circuitBreaker, retry, identityRedisRetryScheduler);
	}

	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService identityRedisRetryScheduler() {
		// Waits between retries of asynchronous calls, so that no thread sleeps through a
		// backoff.
		return Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "identity-redis-retry");
			thread.setDaemon(true);
			return thread;
		});
	}

	@Bean
	MeterBinder identityRedisErrorMetrics(GuardedIdentityStore identityStore) {
		return (registry) -> FunctionCounter
			.builder("jcilium.identity.redis.errors", identityStore, GuardedIdentityStore::redisErrors)
			.description("Failed Redis calls of the identity store, retries included")
			.register(registry);
	}

}
