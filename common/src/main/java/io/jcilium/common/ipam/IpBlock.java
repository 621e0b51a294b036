package io.jcilium.common.ipam;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix with the offset arithmetic the allocator needs. Kept private to
 * this package on purpose: it is the smallest thing that works for a node CIDR, not a
 * general CIDR type.
 */
final class IpBlock {

	/** Offsets are longs; a prefix with more host bits is used only up to this many. */
	private static final int MAX_HOST_BITS = 62;

	private final byte[] network;

	private final int prefixLength;

	private IpBlock(byte[] network, int prefixLength) {
		this.network = network;
		this.prefixLength = prefixLength;
	}

	/**
	 * Parses {@code "10.0.1.0/24"} or {@code "fd00:0:0:1::/64"}. Host bits must be zero:
	 * a node CIDR with host bits set is almost always a typo, so it is rejected instead
	 * of silently rounded down.
	 */
	static IpBlock parse(String cidr) {
		if (cidr == null) {
			throw new IllegalArgumentException("CIDR is missing");
		}
		int slash = cidr.indexOf('/');
		if (slash < 0) {
			throw new IllegalArgumentException("CIDR '" + cidr + "' has no prefix length (expected e.g. 10.0.1.0/24)");
		}
		byte[] address = parseAddress(cidr.substring(0, slash), cidr);
		int prefixLength;
		try {
			prefixLength = Integer.parseInt(cidr.substring(slash + 1));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("CIDR '" + cidr + "' has a prefix length that is not a number", ex);
		}
		int bits = address.length * 8;
		if (prefixLength < 0 || prefixLength > bits) {
			throw new IllegalArgumentException(
					"CIDR '" + cidr + "' has prefix length " + prefixLength + " outside 0.." + bits);
		}
		for (int bit = prefixLength; bit < bits; bit++) {
			if ((address[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
				throw new IllegalArgumentException("CIDR '" + cidr + "' has host bits set after /" + prefixLength);
			}
		}
		return new IpBlock(address, prefixLength);
	}

	/** Parses a literal address only, never a host name (no DNS lookups here). */
	static byte[] parseAddress(String text, String context) {
		boolean v6 = text.indexOf(':') >= 0;
		boolean v4 = !v6 && text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
		if (!v4 && !(v6 && text.matches("[0-9a-fA-F:.]+"))) {
			throw new IllegalArgumentException("'" + context + "' is not an IP address or CIDR");
		}
		try {
			return InetAddress.getByName(text).getAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("'" + context + "' is not an IP address or CIDR", ex);
		}
	}

	boolean isIpv6() {
		return this.network.length == 16;
	}

	int prefixLength() {
		return this.prefixLength;
	}

	int hostBits() {
		return this.network.length * 8 - this.prefixLength;
	}

	/** Number of addresses usable as offsets; capped at 2^62 for huge IPv6 prefixes. */
	long size() {
		return 1L << Math.min(hostBits(), MAX_HOST_BITS);
	}

	/** The address {@code offset} places after the network address. */
	InetAddress addressAt(long offset) {
		if (offset < 0 || offset >= size()) {
			throw new IllegalArgumentException("offset " + offset + " outside " + this);
		}
		byte[] result = this.network.clone();
		long carry = offset;
		for (int i = result.length - 1; i >= 0 && carry != 0; i--) {
			int sum = (result[i] & 0xff) + (int) (carry & 0xff);
			result[i] = (byte) sum;
			carry = (carry >>> 8) + (sum >>> 8);
		}
		try {
			return InetAddress.getByAddress(result);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Offset of {@code address} in this block, or -1 if it is not inside. */
	long offsetOf(InetAddress address) {
		byte[] bytes = address.getAddress();
		if (bytes.length != this.network.length) {
			return -1;
		}
		for (int bit = 0; bit < this.prefixLength; bit++) {
			int mask = 0x80 >>> (bit % 8);
			if ((bytes[bit / 8] & mask) != (this.network[bit / 8] & mask)) {
				return -1;
			}
		}
		long offset = 0;
		int hostBits = hostBits();
		for (int i = 0; i < bytes.length; i++) {
			int bitsBelow = (bytes.length - 1 - i) * 8;
			if (bitsBelow + 8 <= hostBits || bitsBelow < hostBits) {
				int hostMask = (bitsBelow + 8 <= hostBits) ? 0xff : (0xff >>> (8 - (hostBits - bitsBelow)));
				if (bitsBelow >= 64) {
					if ((bytes[i] & hostMask) != 0) {
						return -1;
					}
					continue;
				}
				offset |= ((long) (bytes[i] & hostMask)) << bitsBelow;
			}
		}
		return (offset < 0 || offset >= size()) ? -1 : offset;
	}

	@Override
	public String toString() {
		return format(this.network) + "/" + this.prefixLength;
	}

	static String format(InetAddress address) {
		return format(address.getAddress());
	}

	/** Dotted quad, or the RFC 5952 text form (longest run of zero groups as "::"). */
	static String format(byte[] bytes) {
		if (bytes.length == 4) {
			return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
		}
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
		}
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8; i++) {
			int length = 0;
			while (i + length < 8 && groups[i + length] == 0) {
				length++;
			}
			if (length > bestLength) {
				bestStart = i;
				bestLength = length;
			}
		}
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				text.append("::");
				i += bestLength - 1;
				continue;
			}
			if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
				text.append(':');
			}
			text.append(Integer.toHexString(groups[i]));
		}
		return text.toString();
	}

}
