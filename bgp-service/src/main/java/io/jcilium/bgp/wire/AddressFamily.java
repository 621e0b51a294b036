package io.jcilium.bgp.wire;

/**
 * The address families this speaker carries (RFC 4760 AFI/SAFI pairs): IPv4 and IPv6
 * unicast.
 */
public enum AddressFamily {

	IPV4_UNICAST(1, 1, 4), IPV6_UNICAST(2, 1, 16);

	/** RFC 4760 SAFI of unicast forwarding. */
	public static final int SAFI_UNICAST = 1;

	private final int afi;

	private final int safi;

	private final int addressBytes;

	AddressFamily(int afi, int safi, int addressBytes) {
		this.afi = afi;
		this.safi = safi;
		this.addressBytes = addressBytes;
	}

	public int afi() {
		return this.afi;
	}

	public int safi() {
		return this.safi;
	}

	/** Bytes of one address of the family (4 or 16). */
	public int addressBytes() {
		return this.addressBytes;
	}

	/** Bits of one address of the family (32 or 128). */
	public int addressBits() {
		return this.addressBytes * 8;
	}

	/**
	 * The family of an AFI/SAFI pair, or {@code null} when this speaker does not carry
	 * it.
	 * @param afi the address family identifier
	 * @param safi the subsequent address family identifier
	 * @return the family or {@code null}
	 */
	public static AddressFamily fromCodes(int afi, int safi) {
		for (AddressFamily family : values()) {
			if (family.afi == afi && family.safi == safi) {
				return family;
			}
		}
		return null;
	}

	/** The family of an address of that many bytes. */
	public static AddressFamily ofAddressBytes(int length) {
		return (length == 4) ? IPV4_UNICAST : IPV6_UNICAST;
	}

}
