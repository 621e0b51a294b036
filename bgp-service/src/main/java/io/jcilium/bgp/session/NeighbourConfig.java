package io.jcilium.bgp.session;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
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
 * @param ttl the IP TTL (IPv6 hop limit) of the session's packets, 1-255, or 0 for the
 * system's default
 * @param md5Password the TCP MD5 signature key (RFC 2385), or {@code null} for none
 * @param keepaliveSeconds how often we send KEEPALIVE (CiliumBGPPeerConfig's
 * {@code keepAliveTimeSeconds}), or 0 for a third of the negotiated hold time; see
 * {@link io.jcilium.bgp.fsm.Negotiated#keepalive}
 */
public record NeighbourConfig(InetAddress address, int port, long peerAsn, boolean passive, int holdTimeSeconds,
		int connectRetrySeconds, Set<AddressFamily> families, int gracefulRestartSeconds, InetAddress ipv6NextHop,
		int ttl, String md5Password, int keepaliveSeconds) {

	/** Upstream's default connect retry time (CiliumBGPPeerConfig timers). */
	public static final int MAX_CONNECT_RETRY_SECONDS = 120;

	/** The longest key the kernel's {@code TCP_MD5SIG} takes. */
	public static final int MAX_MD5_KEY_BYTES = 80;

	public NeighbourConfig {
		families = Set.copyOf(families);
		if (connectRetrySeconds <= 0) {
			throw new IllegalArgumentException("connect retry of neighbour " + address.getHostAddress()
					+ " must be positive, not " + connectRetrySeconds);
		}
		if (ttl < 0 || ttl > 255) {
			throw new IllegalArgumentException(
					"TTL of neighbour " + address.getHostAddress() + " must be 1-255 (0: default), not " + ttl);
		}
		if (keepaliveSeconds < 0 || keepaliveSeconds > 0xFFFF) {
			throw new IllegalArgumentException("keepalive time of neighbour " + address.getHostAddress()
					+ " must be 0-65535 s (0: a third of the hold time), not " + keepaliveSeconds);
		}
		if (md5Password != null
				&& (md5Password.isEmpty() || md5Password.getBytes(StandardCharsets.UTF_8).length > MAX_MD5_KEY_BYTES)) {
			throw new IllegalArgumentException("TCP MD5 password of neighbour " + address.getHostAddress()
					+ " must have 1-" + MAX_MD5_KEY_BYTES + " bytes");
		}
	}

	/** A neighbour sending keepalives every third of the hold time. */
	public NeighbourConfig(InetAddress address, int port, long peerAsn, boolean passive, int holdTimeSeconds,
			int connectRetrySeconds, Set<AddressFamily> families, int gracefulRestartSeconds, InetAddress ipv6NextHop,
			int ttl, String md5Password) {
		this(address, port, peerAsn, passive, holdTimeSeconds, connectRetrySeconds, families, gracefulRestartSeconds,
				ipv6NextHop, ttl, md5Password, 0);
	}

	/** A neighbour with the system's TTL and no TCP MD5. */
	public NeighbourConfig(InetAddress address, int port, long peerAsn, boolean passive, int holdTimeSeconds,
			int connectRetrySeconds, Set<AddressFamily> families, int gracefulRestartSeconds, InetAddress ipv6NextHop) {
		this(address, port, peerAsn, passive, holdTimeSeconds, connectRetrySeconds, families, gracefulRestartSeconds,
				ipv6NextHop, 0, null, 0);
	}

	/** A key naming the neighbour in logs, status and maps. */
	public String name() {
		return this.address.getHostAddress();
	}

	/** Without the password, which must not reach a log. */
	@Override
	public String toString() {
		return "NeighbourConfig[address=" + name() + ", port=" + this.port + ", peerAsn=" + this.peerAsn + ", passive="
				+ this.passive + ", holdTimeSeconds=" + this.holdTimeSeconds + ", connectRetrySeconds="
				+ this.connectRetrySeconds + ", families=" + this.families + ", gracefulRestartSeconds="
				+ this.gracefulRestartSeconds + ", ipv6NextHop=" + this.ipv6NextHop + ", ttl=" + this.ttl
				+ ", md5Password=" + ((this.md5Password != null) ? "<set>" : "none") + ", keepaliveSeconds="
				+ this.keepaliveSeconds + "]";
	}

}
