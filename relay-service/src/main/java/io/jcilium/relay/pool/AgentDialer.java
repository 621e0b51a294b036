package io.jcilium.relay.pool;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/**
 * Dials agents with the relay's credentials. Over TLS the agent's certificate must carry
 * the name the peer service gave for it ({@code <node>.<cluster>.hubble-grpc.cilium.io}
 * from upstream's agents): agents are dialled by address, and one certificate may name
 * them all. A peer announced without a TLS name is checked against the host it is dialled
 * at, as any gRPC channel checks its authority. Each channel pings its agent when the
 * connection has been silent for the keep-alive time: an agent whose link died without a
 * reset (a node lost, a partition) has its connection, and the follow streams on it,
 * closed after the ping's timeout instead of when TCP gives up.
 */
final class AgentDialer implements PeerDialer {

	private final ChannelCredentials credentials;

	private final boolean tls;

	private final Duration keepAliveTime;

	private final Duration keepAliveTimeout;

	/**
	 * @param credentials the relay's channel credentials
	 * @param tls whether they speak TLS
	 * @param keepAliveTime how long a connection may be silent before a ping checks it
	 * @param keepAliveTimeout how long the ping's answer may take
	 */
	AgentDialer(ChannelCredentials credentials, boolean tls, Duration keepAliveTime, Duration keepAliveTimeout) {
		this.credentials = credentials;
		this.tls = tls;
		this.keepAliveTime = keepAliveTime;
		this.keepAliveTimeout = keepAliveTimeout;
	}

	@Override
	public ManagedChannel dial(Peer peer) {
		ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(peer.address(), this.credentials)
			.keepAliveTime(this.keepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
			.keepAliveTimeout(this.keepAliveTimeout.toNanos(), TimeUnit.NANOSECONDS);
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
