package io.jcilium.relay.pool;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/**
 * Dials agents with the relay's credentials. Over TLS the agent's certificate must carry
 * the name the peer service gave for it ({@code <node>.<cluster>.hubble-grpc.cilium.io}
 * from upstream's agents): agents are dialled by address, and one certificate may name
 * them all. A peer announced without a TLS name is checked against the host it is dialled
 * at, as any gRPC channel checks its authority.
 */
final class AgentDialer implements PeerDialer {

	private final ChannelCredentials credentials;

	private final boolean tls;

	/**
	 * @param credentials the relay's channel credentials
	 * @param tls whether they speak TLS
	 */
	AgentDialer(ChannelCredentials credentials, boolean tls) {
		this.credentials = credentials;
		this.tls = tls;
	}

	@Override
	public ManagedChannel dial(Peer peer) {
		ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(peer.address(), this.credentials);
		if (this.tls && !peer.tlsServerName().isEmpty()) {
			builder.overrideAuthority(peer.tlsServerName());
		}
		return builder.build();
	}

	@Override
	public String verifiedServerName(Peer peer) {
		if (!this.tls) {
			return "";
		}
		return peer.tlsServerName().isEmpty() ? host(peer.address()) : peer.tlsServerName();
	}

	/** The host of host:port, an IPv6 address without its brackets. */
	static String host(String address) {
		if (address.startsWith("[")) {
			int end = address.indexOf(']');
			return (end > 0) ? address.substring(1, end) : address;
		}
		int colon = address.lastIndexOf(':');
		return (colon > 0) ? address.substring(0, colon) : address;
	}

}
