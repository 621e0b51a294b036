package io.jcilium.ipam.block;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix such as {@code 10.0.0.0/8} with the arithmetic block carving
 * needs. BigInteger keeps it short and exact; it is not on a hot path (every allocation
 * costs a Redis round trip anyway).
 *
 * @param family the address family
 * @param network the network address as an unsigned number
 * @param length the prefix length
 */
public record Prefix(Family family, BigInteger network, int length) {

	/**
	 * Parses a literal CIDR; host bits must be zero, because a pool written as
	 * {@code 10.0.0.1/8} is a typo, not an intent.
	 */
	public static Prefix parse(String cidr) {
		if (cidr == null || cidr.isBlank()) {
			throw new IllegalArgumentException("CIDR is missing");
		}
		String text = cidr.strip();
		int slash = text.indexOf('/');
		if (slash < 0) {
			throw new IllegalArgumentException("CIDR '" + cidr + "' has no prefix length (expected e.g. 10.0.0.0/8)");
		}
		String address = text.substring(0, slash);
		if (!address.matches("[0-9a-fA-F:.]+") || !(address.contains(":") || address.matches("\\d+(\\.\\d+){3}"))) {
			throw new IllegalArgumentException("CIDR '" + cidr + "' does not start with an IP address");
		}
		byte[] bytes;
		try {
			bytes = InetAddress.getByName(address).getAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("CIDR '" + cidr + "' does not start with an IP address", ex);
		}
		Family family = (bytes.length == 4) ? Family.IPV4 : Family.IPV6;
		int length;
		try {
			length = Integer.parseInt(text.substring(slash + 1));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("CIDR '" + cidr + "' has a prefix length that is not a number", ex);
		}
		if (length < 0 || length > family.bits()) {
			throw new IllegalArgumentException(
					"CIDR '" + cidr + "' has prefix length " + length + " outside 0.." + family.bits());
		}
		BigInteger network = new BigInteger(1, bytes);
		if (!network.equals(maskHost(network, family, length))) {
			throw new IllegalArgumentException("CIDR '" + cidr + "' has host bits set after /" + length);
		}
		return new Prefix(family, network, length);
	}

	/** Number of prefixes of {@code subLength} inside this one. */
	public BigInteger countOf(int subLength) {
		return BigInteger.ONE.shiftLeft(subLength - this.length);
	}

	/** The {@code index}th prefix of {@code subLength} inside this one. */
	public Prefix subPrefix(int subLength, long index) {
		BigInteger offset = BigInteger.valueOf(index).shiftLeft(this.family.bits() - subLength);
		return new Prefix(this.family, this.network.add(offset), subLength);
	}

	/** Whether the two prefixes share any address. */
	public boolean overlaps(Prefix other) {
		if (this.family != other.family) {
			return false;
		}
		int shorter = Math.min(this.length, other.length);
		return maskHost(this.network, this.family, shorter).equals(maskHost(other.network, other.family, shorter));
	}

	@Override
	public String toString() {
		byte[] raw = this.network.toByteArray();
		int size = this.family.bits() / 8;
		byte[] bytes = new byte[size];
		int copy = Math.min(raw.length, size);
		System.arraycopy(raw, raw.length - copy, bytes, size - copy, copy);
		try {
			String text = InetAddress.getByAddress(bytes).getHostAddress();
			return ((this.family == Family.IPV6) ? compress(text) : text) + "/" + this.length;
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static BigInteger maskHost(BigInteger value, Family family, int length) {
		int hostBits = family.bits() - length;
		return value.shiftRight(hostBits).shiftLeft(hostBits);
	}

	/** Java prints IPv6 uncompressed; keys and messages use the RFC 5952 form. */
	private static String compress(String full) {
		String[] groups = full.split(":");
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < groups.length; i++) {
			int run = 0;
			while (i + run < groups.length && groups[i + run].equals("0")) {
				run++;
			}
			if (run > bestLength) {
				bestStart = i;
				bestLength = run;
			}
		}
		if (bestStart < 0) {
			return full;
		}
		String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
		String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
		return head + "::" + tail;
	}

}
