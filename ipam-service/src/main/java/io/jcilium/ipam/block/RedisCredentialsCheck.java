package io.jcilium.ipam.block;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Stops ipam-service at start when Redis refuses its credentials, naming the setting to
 * fix. Left running, the service would report Redis down for ever and every node would
 * wait for a pod CIDR that never comes. An unreachable Redis is an outage: the service
 * starts and waits for it (health DOWN, gRPC NOT_SERVING), as before.
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
				throw new IllegalStateException("Redis at " + address() + " refused ipam-service's credentials ("
						+ refusal + "): set spring.data.redis.password (SPRING_DATA_REDIS_PASSWORD; in the chart, "
						+ "the key of the Secret global.redis.existingSecret or <release>-redis) to Redis's "
						+ "requirepass", ex);
			}
			logger.warn("Redis at {} cannot be reached yet; ipam-service waits for it: {}", address(), ex.getMessage());
		}
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
	 * NOAUTH when none was sent; null for any other failure.
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
