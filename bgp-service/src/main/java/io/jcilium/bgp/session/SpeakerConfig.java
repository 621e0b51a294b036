package io.jcilium.bgp.session;

import java.net.InetAddress;

/**
 * The speaker as a whole.
 *
 * @param localAsn our AS
 * @param routerId our BGP identifier, as an IPv4 address
 * @param listenAddress where to accept neighbours' connections, or {@code null} for none
 * @param listenPort the port to listen on (179; 0 picks a free one)
 * @param restarting whether this start follows a restart the neighbours should bridge
 * with graceful restart (RFC 4724 Restart State bit)
 */
public record SpeakerConfig(long localAsn, InetAddress routerId, InetAddress listenAddress, int listenPort,
		boolean restarting) {

	/** The BGP identifier as the unsigned 32-bit number OPEN carries. */
	public long bgpIdentifier() {
		byte[] bytes = this.routerId.getAddress();
		if (bytes.length != 4) {
			throw new IllegalArgumentException("router id must be an IPv4 address, not " + this.routerId);
		}
		return ((bytes[0] & 0xFFL) << 24) | ((bytes[1] & 0xFFL) << 16) | ((bytes[2] & 0xFFL) << 8) | (bytes[3] & 0xFFL);
	}

}
