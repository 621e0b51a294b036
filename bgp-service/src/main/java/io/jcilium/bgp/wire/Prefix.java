package io.jcilium.bgp.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IP prefix as BGP carries it in NLRI: an address family, the network's address (bits
 * past the length are zero) and the prefix length.
 */
public final class Prefix implements Comparable<Prefix> {

	private final AddressFamily family;

	private final byte[] address;

	private final int length;

	private Prefix(AddressFamily family, byte[] address, int length) {
		this.family = family;
		this.address = address;
		this.length = length;
	}

	/**
	 * A prefix from an address and length; bits of the address past the length are
	 * cleared.
	 * @param address 4 or 16 bytes
	 * @param length the prefix length
	 * @return the prefix
	 */
	public static Prefix of(byte[] address, int length) {
		AddressFamily family = AddressFamily.ofAddressBytes(address.length);
		if (address.length != 4 && address.length != 16) {
			throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + address.length);
		}
		if (length < 0 || length > family.addressBits()) {
			throw new IllegalArgumentException("prefix length " + length + " is out of 0-" + family.addressBits());
		}
		byte[] masked = Arrays.copyOf(address, address.length);
		for (int bit = length; bit < masked.length * 8; bit++) {
			masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
		}
		return new Prefix(family, masked, length);
	}

	/**
	 * Parses {@code 10.0.0.0/24} or {@code 2001:db8::/64}.
	 * @param cidr the prefix in CIDR notation
	 * @return the prefix
	 */
	public static Prefix parse(String cidr) {
		int slash = cidr.indexOf('/');
		if (slash < 0) {
			throw new IllegalArgumentException("'" + cidr + "' is not a prefix: expected address/length");
		}
		String host = cidr.substring(0, slash);
		if (!host.matches("[0-9a-fA-F:.]+")) {
			throw new IllegalArgumentException("'" + cidr + "' is not a prefix: '" + host + "' is not an IP address");
		}
		try {
			return of(InetAddress.getByName(host).getAddress(), Integer.parseInt(cidr.substring(slash + 1)));
		}
		catch (UnknownHostException | NumberFormatException ex) {
			throw new IllegalArgumentException("'" + cidr + "' is not a prefix: " + ex.getMessage(), ex);
		}
	}

	public AddressFamily family() {
		return this.family;
	}

	/** A copy of the network's address. */
	public byte[] address() {
		return this.address.clone();
	}

	public int length() {
		return this.length;
	}

	/** Byte {@code index} of the address, without copying it. */
	byte addressByte(int index) {
		return this.address[index];
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Prefix that && this.length == that.length && Arrays.equals(this.address, that.address);
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(this.address) + this.length;
	}

	@Override
	public int compareTo(Prefix other) {
		int byFamily = this.family.compareTo(other.family);
		if (byFamily != 0) {
			return byFamily;
		}
		int byAddress = Arrays.compareUnsigned(this.address, other.address);
		return (byAddress != 0) ? byAddress : Integer.compare(this.length, other.length);
	}

	@Override
	public String toString() {
		try {
			return InetAddress.getByAddress(this.address).getHostAddress() + "/" + this.length;
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("an address of 4 or 16 bytes is always valid", ex);
		}
	}

}
