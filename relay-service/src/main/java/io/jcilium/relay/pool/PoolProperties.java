package io.jcilium.relay.pool;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the relay's connections to the agents, under {@code jcilium.relay.pool}.
 *
 * @param checkInterval how often every agent whose breaker lets a call out is probed
 * @param probeTimeout how long a probe ({@code ServerStatus}) may take
 * @param backoffInitial the wait before the first retry of an agent that went away
 * (doubling, with jitter, after each failed retry)
 * @param backoffMax the longest wait between retries (upstream's relay retries every 30s)
 * @param sslBundle the Spring SSL bundle ({@code spring.ssl.bundle.pem.<name>}) with the
 * relay's client certificate and the cluster's CA: the relay then speaks mTLS to the
 * agents and checks each agent's certificate against the TLS name the peer service gives
 * ({@code <node>.<cluster>.hubble-grpc.cilium.io}, as upstream); empty means plaintext, a
 * development setting
 * @param keepAliveTime how long the connection to an agent may stay silent before a ping
 * checks it (at least 10s, gRPC's floor): an agent whose link died without a word is
 * otherwise followed until TCP gives up, many minutes later; the agents permit a ping
 * every 10s
 * @param keepAliveTimeout how long the ping's answer may take before the connection, and
 * every stream on it, counts as dead
 */
@ConfigurationProperties("jcilium.relay.pool")
public record PoolProperties(@DefaultValue("2s") Duration checkInterval, @DefaultValue("5s") Duration probeTimeout,
		@DefaultValue("1s") Duration backoffInitial, @DefaultValue("30s") Duration backoffMax, String sslBundle,
		@DefaultValue("15s") Duration keepAliveTime, @DefaultValue("5s") Duration keepAliveTimeout) {

	/** grpc-java pings no more often than this, whatever it is asked. */
	static final Duration KEEP_ALIVE_FLOOR = Duration.ofSeconds(10);

	public PoolProperties {
		if (checkInterval.isNegative() || checkInterval.isZero()) {
			throw new IllegalArgumentException(
					"jcilium.relay.pool.check-interval must be positive, not " + checkInterval);
		}
		if (keepAliveTime.compareTo(KEEP_ALIVE_FLOOR) < 0) {
			throw new IllegalArgumentException("jcilium.relay.pool.keep-alive-time must be at least "
					+ KEEP_ALIVE_FLOOR.toSeconds() + "s (gRPC pings no more often), not " + keepAliveTime);
		}
		if (keepAliveTimeout.isNegative() || keepAliveTimeout.isZero()) {
			throw new IllegalArgumentException(
					"jcilium.relay.pool.keep-alive-timeout must be positive, not " + keepAliveTimeout);
		}
	}

	PoolSettings settings() {
		try {
			return new PoolSettings(this.probeTimeout, this.backoffInitial, this.backoffMax);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("jcilium.relay.pool: " + ex.getMessage(), ex);
		}
	}

}
