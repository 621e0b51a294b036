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
 */
@ConfigurationProperties("jcilium.relay.pool")
public record PoolProperties(@DefaultValue("2s") Duration checkInterval, @DefaultValue("5s") Duration probeTimeout,
		@DefaultValue("1s") Duration backoffInitial, @DefaultValue("30s") Duration backoffMax, String sslBundle) {

	public PoolProperties {
		if (checkInterval.isNegative() || checkInterval.isZero()) {
			throw new IllegalArgumentException(
					"jcilium.relay.pool.check-interval must be positive, not " + checkInterval);
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
