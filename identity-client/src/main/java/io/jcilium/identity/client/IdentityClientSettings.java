package io.jcilium.identity.client;

import java.time.Duration;

/**
 * How an {@link IdentityClient} reaches identity-service and how patient it is.
 *
 * @param target the service, {@code host:port}, {@code static://host:port} (as Spring
 * gRPC writes it) or any gRPC target such as {@code dns:///identity-service:9281}
 * @param node this node's name: the owner of the references the client's allocations
 * create, and of the lease the client keeps alive
 * @param attemptTimeout deadline of one attempt of a call
 * @param callTimeout deadline of a whole call, retries and backoff included: no call
 * takes much longer than this
 * @param heartbeatInterval how often the node's lease is renewed (at most a third of the
 * lease TTL the service announces is used instead when that is shorter)
 * @param retry retries of transient failures
 * @param circuitBreaker when calls stop going out and fail at once
 * @param watchBackoff delays between reconnections of the Watch stream
 * @param keepAlive HTTP/2 pings on the connection, which notice a connection that died
 * without a word (a node cut off, the service's host gone): without them the Watch stream
 * would wait on it forever and the cache would silently stop following changes
 */
public record IdentityClientSettings(String target, String node, Duration attemptTimeout, Duration callTimeout,
		Duration heartbeatInterval, RetrySettings retry, BreakerSettings circuitBreaker, BackoffSettings watchBackoff,
		KeepAliveSettings keepAlive) {

	public IdentityClientSettings {
		if (target == null || target.isBlank()) {
			throw new IllegalArgumentException("identity-service target must be set, e.g. localhost:9281");
		}
		if (node == null || node.isBlank()) {
			throw new IllegalArgumentException("node name must be set: identity references are held per node");
		}
		requirePositive("attempt timeout", attemptTimeout);
		requirePositive("call timeout", callTimeout);
		requirePositive("heartbeat interval", heartbeatInterval);
		if (keepAlive == null) {
			throw new IllegalArgumentException("identity client keep-alive settings must be set");
		}
	}

	/**
	 * Settings with the defaults: 2 s per attempt, 5 s per call, heartbeat every 20 s, 3
	 * attempts with backoff from 100 ms, breaker opening at 50% failures of the last 10
	 * calls (at least 4) for 5 s, Watch reconnecting after 200 ms up to 5 s, a ping after
	 * 30 s without traffic answered within 10 s.
	 * @param target the service
	 * @param node this node's name
	 * @return the settings
	 */
	public static IdentityClientSettings defaults(String target, String node) {
		return new IdentityClientSettings(target, node, Duration.ofSeconds(2), Duration.ofSeconds(5),
				Duration.ofSeconds(20), new RetrySettings(3, Duration.ofMillis(100), Duration.ofSeconds(1)),
				new BreakerSettings(50, 10, 4, Duration.ofSeconds(5)),
				new BackoffSettings(Duration.ofMillis(200), Duration.ofSeconds(5)),
				new KeepAliveSettings(Duration.ofSeconds(30), Duration.ofSeconds(10)));
	}

	public IdentityClientSettings withTimeouts(Duration attemptTimeout, Duration callTimeout) {
		return new IdentityClientSettings(this.target, this.node, attemptTimeout, callTimeout, this.heartbeatInterval,
				this.retry, this.circuitBreaker, this.watchBackoff, this.keepAlive);
	}

	public IdentityClientSettings withCircuitBreaker(BreakerSettings circuitBreaker) {
		return new IdentityClientSettings(this.target, this.node, this.attemptTimeout, this.callTimeout,
				this.heartbeatInterval, this.retry, circuitBreaker, this.watchBackoff, this.keepAlive);
	}

	public IdentityClientSettings withWatchBackoff(BackoffSettings watchBackoff) {
		return new IdentityClientSettings(this.target, this.node, this.attemptTimeout, this.callTimeout,
				this.heartbeatInterval, this.retry, this.circuitBreaker, watchBackoff, this.keepAlive);
	}

	public IdentityClientSettings withHeartbeatInterval(Duration heartbeatInterval) {
		return new IdentityClientSettings(this.target, this.node, this.attemptTimeout, this.callTimeout,
				heartbeatInterval, this.retry, this.circuitBreaker, this.watchBackoff, this.keepAlive);
	}

	public IdentityClientSettings withRetry(RetrySettings retry) {
		return new IdentityClientSettings(this.target, this.node, this.attemptTimeout, this.callTimeout,
				this.heartbeatInterval, retry, this.circuitBreaker, this.watchBackoff, this.keepAlive);
	}

	public IdentityClientSettings withKeepAlive(KeepAliveSettings keepAlive) {
		return new IdentityClientSettings(this.target, this.node, this.attemptTimeout, this.callTimeout,
				this.heartbeatInterval, this.retry, this.circuitBreaker, this.watchBackoff, keepAlive);
	}

	/**
	 * The gRPC target: {@code static://host:port} becomes {@code host:port}, which
	 * grpc-java resolves through DNS; other targets pass unchanged.
	 * @return the target grpc-java understands
	 */
	public String grpcTarget() {
		return this.target.startsWith("static://") ? this.target.substring("static://".length()) : this.target;
	}

	private static void requirePositive(String what, Duration duration) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("identity client " + what + " must be positive, was " + duration);
		}
	}

	/**
	 * Retries of transient failures (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED,
	 * ABORTED), with exponential backoff.
	 *
	 * @param maxAttempts attempts per call, the first included
	 * @param initialBackoff delay before the second attempt; doubled for each further one
	 * @param maxBackoff longest delay between attempts
	 */
	public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

		public RetrySettings {
			if (maxAttempts < 1) {
				throw new IllegalArgumentException("identity client retry max attempts must be at least 1");
			}
			requirePositive("initial retry backoff", initialBackoff);
			requirePositive("max retry backoff", maxBackoff);
		}

	}

	/**
	 * The circuit breaker over identity-service.
	 *
	 * @param failureRateThreshold percentage of failed calls that opens the breaker
	 * @param slidingWindowSize number of recent calls the rate is computed over
	 * @param minimumCalls calls needed before the rate counts
	 * @param waitInOpen how long calls fail at once before trial calls go out again
	 */
	public record BreakerSettings(float failureRateThreshold, int slidingWindowSize, int minimumCalls,
			Duration waitInOpen) {

		public BreakerSettings {
			requirePositive("circuit breaker wait in open state", waitInOpen);
		}

	}

	/**
	 * An exponential backoff.
	 *
	 * @param initial first delay
	 * @param max longest delay
	 */
	public record BackoffSettings(Duration initial, Duration max) {

		public BackoffSettings {
			requirePositive("initial backoff", initial);
			requirePositive("max backoff", max);
		}

	}

	/**
	 * HTTP/2 keep-alive pings of the client's connection. grpc-java sends them no more
	 * often than every 10 s, and identity-service must permit the interval
	 * ({@code spring.grpc.server.keep-alive.permit-time}), or it closes the connection.
	 *
	 * @param time how long the connection may be silent before a ping goes out
	 * @param timeout how long the ping's answer may take before the connection counts as
	 * dead and calls on it fail with UNAVAILABLE
	 */
	public record KeepAliveSettings(Duration time, Duration timeout) {

		public KeepAliveSettings {
			requirePositive("keep-alive time", time);
			requirePositive("keep-alive timeout", timeout);
		}

	}

}
