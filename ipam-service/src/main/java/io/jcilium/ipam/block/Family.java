package io.jcilium.ipam.block;

import java.util.Locale;

/**
 * Address family of a pool's CIDRs and blocks; the wire form is
 * {@code ipv4}/{@code ipv6}.
 */
public enum Family {

	IPV4(32), IPV6(128);

	private final int bits;

	Family(int bits) {
		this.bits = bits;
	}

	public int bits() {
		return this.bits;
	}

	public String code() {
		return name().toLowerCase(Locale.ROOT);
	}

	public String displayName() {
		return (this == IPV4) ? "IPv4" : "IPv6";
	}

	/** Parses {@code ipv4}/{@code ipv6} (any case). */
	public static Family fromCode(String code) {
		for (Family family : values()) {
			if (family.code().equalsIgnoreCase(code)) {
				return family;
			}
		}
		throw new IllegalArgumentException("family '" + code + "' is not one of ipv4, ipv6");
	}

}
