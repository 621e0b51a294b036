package io.jcilium.redis;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Stops a service at start when Redis refuses its credentials, naming the setting to fix.
 * A wrong or missing password is not an outage that passes: left running, the service
 * would report Redis down for ever and show only "Unable to connect to Redis" (for
 * ipam-service, every node would wait for a pod CIDR that never comes). An unreachable
 * Redis is an outage: the service starts and waits for it (health DOWN, gRPC
 * NOT_SERVING), as before.
 */
public final class RedisCredentialsCheck implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(RedisCredentialsCheck.class);

	/** How often the start asks before it takes Redis as unreachable. */
	static final int ATTEMPTS = 5;

	static final Duration PAUSE = Duration.ofMillis(200);

	private final String service;

	private final RedisConnectionFactory connectionFactory;

	private final DataRedisConnectionDetails connectionDetails;

	/**
	 * @param service the service's name as users know it (e.g. {@code identity-service}),
	 * for the messages
	 * @param connectionFactory the connections to check
	 * @param connectionDetails where they go, for the messages
	 */
	public RedisCredentialsCheck(String service, RedisConnectionFactory connectionFactory,
			DataRedisConnectionDetails connectionDetails) {
		this.service = service;
		this.connectionFactory = connectionFactory;
		this.connectionDetails = connectionDetails;
	}

	@Override
	public void run(ApplicationArguments args) throws InterruptedException {
		RuntimeException unreached = null;
		// a connection refused once (seen at start right after Redis answered a PING) is
		// not yet an outage: ask a few times before starting without knowing
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			if (attempt > 0) {
				Thread.sleep(PAUSE.toMillis());
			}
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				connection.ping();
				return;
			}
			catch (RuntimeException ex) {
				String refusal = refusal(ex);
				if (refusal != null) {
					throw new IllegalStateException("Redis at " + address() + " refused " + this.service
							+ "'s credentials (" + refusal + "): set spring.data.redis.password "
							+ "(SPRING_DATA_REDIS_PASSWORD; in the chart, the key of the Secret "
							+ "global.redis.existingSecret or <release>-redis) to Redis's requirepass", ex);
				}
				unreached = ex;
			}
		}
		logger.warn("Redis at {} cannot be reached yet; {} waits for it: {}", address(), this.service,
				unreached.getMessage());
	}

	private String address() {
		if (this.connectionDetails.getCluster() != null) {
			return "cluster " + this.connectionDetails.getCluster().getNodes();
		}
		if (this.connectionDetails.getSentinel() != null) {
			return "sentinel master " + this.connectionDetails.getSentinel().getMaster();
		}
		DataRedisConnectionDetails.Standalone standalone = this.connectionDetails.getStandalone();
		return (standalone != null) ? standalone.getHost() + ":" + standalone.getPort() : "(unknown)";
	}

	/**
	 * Redis's own words when it refused the credentials: WRONGPASS for a wrong password,
	 * NOAUTH when none was sent, found anywhere in the cause chain; null for any other
	 * failure.
	 * @param failure what connecting threw
	 * @return the refusal from its code on, or null
	 */
	static String refusal(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = (cause.getMessage() != null) ? cause.getMessage() : "";
			for (String code : new String[] { "WRONGPASS", "NOAUTH" }) {
				int start = message.indexOf(code);
				if (start >= 0) {
					return message.substring(start);
				}
			}
		}
		return null;
	}

}
