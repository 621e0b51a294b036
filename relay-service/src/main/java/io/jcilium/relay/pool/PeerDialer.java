package io.jcilium.relay.pool;

import io.grpc.ManagedChannel;

/**
 * How the relay reaches an agent: the channel, and the name it checks the agent's
 * certificate against, which {@code GetNodes} reports as upstream's {@code Node.tls}.
 */
@FunctionalInterface
public interface PeerDialer {

	/**
	 * @param peer the agent as announced
	 * @return a channel to its Hubble API
	 */
	ManagedChannel dial(Peer peer);

	/**
	 * The name the agent's certificate must carry on this dialer's channels.
	 * @param peer the agent as announced
	 * @return the name, empty when the channel speaks plaintext
	 */
	default String verifiedServerName(Peer peer) {
		return "";
	}

}
