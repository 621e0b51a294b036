package io.jcilium.bgp.wire;

import java.util.Set;

/**
 * The capabilities of an OPEN this speaker understands (RFC 5492); unknown ones are
 * ignored as RFC 5492 section 3 asks.
 *
 * @param multiprotocol families of the multiprotocol capability (RFC 4760 section 8)
 * @param routeRefresh the route refresh capability (RFC 2918)
 * @param fourOctetAs whether the four-octet AS capability is present (RFC 6793)
 * @param asn the AS it carries (0 when absent)
 * @param gracefulRestart the graceful restart capability (RFC 4724), or {@code null}
 */
public record Capabilities(Set<AddressFamily> multiprotocol, boolean routeRefresh, boolean fourOctetAs, long asn,
		GracefulRestart gracefulRestart) {

	/** Capability codes (IANA "Capability Codes" registry). */
	static final int MULTIPROTOCOL = 1;

	static final int ROUTE_REFRESH = 2;

	static final int GRACEFUL_RESTART = 64;

	static final int FOUR_OCTET_AS = 65;

	public Capabilities {
		multiprotocol = Set.copyOf(multiprotocol);
	}

	/**
	 * The families both sides can exchange. RFC 4760 section 8: a speaker that sends no
	 * multiprotocol capability carries IPv4 unicast only.
	 * @param other the peer's capabilities
	 * @return the negotiated families
	 */
	public Set<AddressFamily> commonFamilies(Capabilities other) {
		Set<AddressFamily> ours = this.multiprotocol.isEmpty() ? Set.of(AddressFamily.IPV4_UNICAST)
				: this.multiprotocol;
		Set<AddressFamily> theirs = other.multiprotocol.isEmpty() ? Set.of(AddressFamily.IPV4_UNICAST)
				: other.multiprotocol;
		return Set.copyOf(ours.stream().filter(theirs::contains).toList());
	}

}
