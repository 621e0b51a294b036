package io.jcilium.bgp.wire;

/**
 * ROUTE-REFRESH for one AFI/SAFI (RFC 2918 section 3). The AFI/SAFI is kept as sent: RFC
 * 2918 has a speaker ignore a request for a family it did not negotiate.
 *
 * @param afi the address family identifier
 * @param safi the subsequent address family identifier
 */
public record RouteRefreshMessage(int afi, int safi) implements BgpMessage {

	@Override
	public MessageType type() {
		return MessageType.ROUTE_REFRESH;
	}

	/** The family asked for, or {@code null} when this speaker does not carry it. */
	public AddressFamily family() {
		return AddressFamily.fromCodes(this.afi, this.safi);
	}

}
