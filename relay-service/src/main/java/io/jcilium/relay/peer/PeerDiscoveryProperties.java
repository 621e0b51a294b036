package io.jcilium.relay.peer;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of peer discovery, under {@code jcilium.relay.peer}. Where the peer service is
 * (upstream's {@code peer-service}) is the Spring gRPC channel {@code hubble-peer}:
 * {@code spring.grpc.client.channels.hubble-peer.address}.
 *
 * @param defaultPort the Hubble port added to a peer address announced without one
 * (upstream's agents announce the node IP alone)
 * @param retryInitial the wait before reopening a broken Notify stream (doubling, with
 * jitter, while it keeps failing)
 * @param retryMax the longest wait before reopening it
 */
@ConfigurationProperties("jcilium.relay.peer")
public record PeerDiscoveryProperties(@DefaultValue("4244") int defaultPort, @DefaultValue("1s") Duration retryInitial,
		@DefaultValue("30s") Duration retryMax) {

	public PeerDiscoveryProperties {
		if (defaultPort < 1 || defaultPort > 65535) {
			throw new IllegalArgumentException(
					"jcilium.relay.peer.default-port must be a TCP port, not " + defaultPort);
		}
		if (retryInitial.isNegative() || retryInitial.isZero() || retryMax.compareTo(retryInitial) < 0) {
			throw new IllegalArgumentException(
					"jcilium.relay.peer: retry-initial must be positive and at most retry-max, not " + retryInitial
							+ " and " + retryMax);
		}
	}

}
