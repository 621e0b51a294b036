package io.jcilium.identity.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Stops the service at start when Redis refuses its credentials. A wrong or missing
 * password is not an outage that passes: left running, the service would retry forever
 * and show only "Unable to connect to Redis". An unreachable Redis is an outage, so the
 * service starts and waits for it as before.
 */
class RedisCredentialsCheck implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(RedisCredentialsCheck.class);

	private final RedisConnectionFactory connectionFactory;

	private final DataRedisConnectionDetails connectionDetails;

	RedisCredentialsCheck(RedisConnectionFactory connectionFactory, DataRedisConnectionDetails connectionDetails) {
		this.connectionFactory = connectionFactory;
		this.connectionDetails = connectionDetails;
	}

	@Override
	public void run(ApplicationArguments args) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.ping();
		}
		catch (RuntimeException ex) {
			String refusal = refusal(ex);
			if (refusal != null) {
				throw new IllegalStateException("Redis at " + address() + " refused identity-service's credentials ("
						+ refusal + "): set spring.data.redis.password (SPRING_DATA_REDIS_PASSWORD; in the chart, "
						+ "the key of the Secret global.redis.existingSecret or <release>-redis) to Redis's "
						+ "requirepass", ex);
			}
			logger.warn("Redis at {} cannot be reached yet; identity-service waits for it: {}", address(),
					ex.getMessage());
		}
	}

	private String address() {
		DataRedisConnectionDetails.Standalone standalone = this.connectionDetails.getStandalone();
		if (this.connectionDetails.getCluster() != null) {
			return "cluster " + this.connectionDetails.getCluster().getNodes();
		}
		if (this.connectionDetails.getSentinel() != null) {
			return "sentinel master " + this.connectionDetails.getSentinel().getMaster();
		}
		return (standalone != null) ? standalone.getHost() + ":" + standalone.getPort() : "(unknown)";
	}

	/**
	 * Redis's own words when it refused the credentials (WRONGPASS, or NOAUTH when none
	 * were sent), found anywhere in the cause chain; null for any other failure.
	 */
	static String refusal(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			int start = (message != null) ? message.indexOf("WRONGPASS") : -1;
			if (start < 0 && message != null) {
				start = message.indexOf("NOAUTH");
			}
			if (start >= 0) {
				return message.substring(start);
			}
		}
		return null;
	}

}
