package io.jcilium.bgp.session;

import java.net.InetAddress;
import java.util.Set;

import io.jcilium.bgp.wire.AddressFamily;

/**
 * One neighbour as the speaker runs it.
 *
 * @param address the neighbour's address
 * @param port the neighbour's TCP port (179)
 * @param peerAsn the neighbour's AS
 * @param passive whether we only wait for the neighbour to connect (no active open)
 * @param holdTimeSeconds the hold time we propose
 * @param connectRetrySeconds the first connect-retry delay; it doubles on each failure in
 * a row up to {@link #MAX_CONNECT_RETRY_SECONDS}
 * @param families the families we offer
 * @param gracefulRestartSeconds the restart time we announce (RFC 4724), 0 for none
 * @param ipv6NextHop the next hop of our IPv6 routes, or {@code null} to take one from
 * the local end of the session
 */
public record NeighbourConfig(InetAddress address, int port, long peerAsn, boolean passive, int holdTimeSeconds,
		int connectRetrySeconds, Set<AddressFamily> families, int gracefulRestartSeconds, InetAddress ipv6NextHop) {

	/** Upstream's default connect retry time (CiliumBGPPeerConfig timers). */
	public static final int MAX_CONNECT_RETRY_SECONDS = 120;

	public NeighbourConfig {
		families = Set.copyOf(families);
		if (connectRetrySeconds <= 0) {
			throw new IllegalArgumentException("connect retry of neighbour " + address.getHostAddress()
					+ " must be positive, not " + connectRetrySeconds);
		}
	}

	/** A key naming the neighbour in logs, status and maps. */
	public String name() {
		return this.address.getHostAddress();
	}

}
