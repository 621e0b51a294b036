package io.jcilium.agent.hubble.peer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the peer service, under {@code jcilium.agent.hubble.peer}.
 *
 * @param port the port every agent serves Hubble on, joined to each node's IP in the
 * addresses it announces (upstream's 4244; the agents of one cluster share it, as a
 * DaemonSet's do)
 * @param tls whether the agents serve TLS, so that each peer carries the server name to
 * verify (upstream's {@code <node>.<cluster>.hubble-grpc.cilium.io}); off while the
 * agents serve plaintext
 * @param maxQueuedNotifications notifications that may wait for a slow {@code Notify}
 * client before it is cut off
 */
@ConfigurationProperties("jcilium.agent.hubble.peer")
public record PeerProperties(@DefaultValue("4244") int port, @DefaultValue("false") boolean tls,
		@DefaultValue("65536") int maxQueuedNotifications) {

	public PeerProperties {
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("jcilium.agent.hubble.peer.port must be a TCP port, got " + port);
		}
		if (maxQueuedNotifications < 1) {
			throw new IllegalArgumentException(
					"jcilium.agent.hubble.peer.max-queued-notifications must be at least 1, got "
							+ maxQueuedNotifications);
		}
	}

}
