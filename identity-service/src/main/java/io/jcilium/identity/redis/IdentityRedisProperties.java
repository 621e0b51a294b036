package io.jcilium.identity.redis;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How identity-service uses Redis (the connection itself is {@code spring.data.redis.*}).
 *
 * @param keyPrefix prefix of every key, with a {hash tag} for Redis Cluster
 * @param commandTimeout how long one Redis command may take
 * @param reconnectDelayMax the longest pause between reconnection attempts
 * @param circuitBreaker when to stop calling Redis
 * @param retry how to retry a failed call
 * @param replicasToAck replicas that must hold an allocation before it is answered
 * (WAIT); set it to 1 or more with Sentinel, or a failover can lose a number already
 * handed out and hand it out again
 * @param replicaAckTimeout how long an allocation waits for those replicas
 */
@ConfigurationProperties("jcilium.identity.redis")
record IdentityRedisProperties(@DefaultValue("{jcilium:identity}") String keyPrefix,
		@DefaultValue("2s") Duration commandTimeout, @DefaultValue("1s") Duration reconnectDelayMax,
		@DefaultValue CircuitBreakerSettings circuitBreaker, @DefaultValue RetrySettings retry,
		@DefaultValue("0") int replicasToAck, @DefaultValue("1s") Duration replicaAckTimeout) {

	/**
	 * Circuit breaker over the Redis calls.
	 *
	 * @param failureRateThreshold percentage of failed calls that opens it
	 * @param slidingWindowSize calls it looks at
	 * @param minimumCalls calls needed before it judges
	 * @param waitInOpen how long it stays open before letting trial calls through
	 */
	record CircuitBreakerSettings(@DefaultValue("50") float failureRateThreshold,
			@DefaultValue("10") int slidingWindowSize, @DefaultValue("4") int minimumCalls,
			@DefaultValue("2s") Duration waitInOpen) {
	}

	/**
	 * Retry of one Redis call.
	 *
	 * @param maxAttempts attempts including the first
	 * @param initialBackoff pause after the first failure, doubled after each next one
	 */
	record RetrySettings(@DefaultValue("3") int maxAttempts, @DefaultValue("50ms") Duration initialBackoff) {
	}

}
