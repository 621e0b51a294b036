package io.jcilium.agent.ipam;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.jcilium.common.net.Cidr;

/**
 * The node's pod CIDR as the allocator uses it: a {@link Cidr} (which parses, validates
 * and prints it) plus offset arithmetic on raw address bytes. The offsets stay here
 * rather than in {@link Cidr} because the allocator runs them on every allocation and
 * needs {@code long} offsets and {@link InetAddress} values, not {@code BigInteger} and
 * text.
 */
final class PodCidr {

	/** Offsets are longs; a prefix with more host bits is used only up to this many. */
	private static final int MAX_HOST_BITS = 62;

	private final Cidr cidr;

	private final byte[] network;

	private PodCidr(Cidr cidr, byte[] network) {
		this.cidr = cidr;
		this.network = network;
	}

	/**
	 * Parses {@code "10.0.1.0/24"} or {@code "fd00:0:0:1::/64"}. Host bits must be zero
	 * ({@link Cidr#parseStrict}): a node CIDR with host bits set is almost always a typo.
	 */
	static PodCidr parse(String text) {
		Cidr cidr = Cidr.parseStrict(text);
		return new PodCidr(cidr, literal(cidr.network()));
	}

	int hostBits() {
		return this.cidr.addressBits() - this.cidr.prefixLength();
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

	/** Offset of {@code address} in this prefix, or -1 if it is not inside. */
	long offsetOf(InetAddress address) {
		byte[] bytes = address.getAddress();
		if (bytes.length != this.network.length) {
			return -1;
		}
		int prefixLength = this.cidr.prefixLength();
		for (int bit = 0; bit < prefixLength; bit++) {
			int mask = 0x80 >>> (bit % 8);
			if ((bytes[bit / 8] & mask) != (this.network[bit / 8] & mask)) {
				return -1;
			}
		}
		long offset = 0;
		int hostBits = hostBits();
		for (int i = 0; i < bytes.length; i++) {
			int bitsBelow = (bytes.length - 1 - i) * 8;
			if (bitsBelow >= hostBits) {
				continue;
			}
			int hostMask = (bitsBelow + 8 <= hostBits) ? 0xff : (0xff >>> (8 - (hostBits - bitsBelow)));
			if (bitsBelow >= 64) {
				if ((bytes[i] & hostMask) != 0) {
					return -1;
				}
				continue;
			}
			offset |= ((long) (bytes[i] & hostMask)) << bitsBelow;
		}
		return (offset < 0 || offset >= size()) ? -1 : offset;
	}

	@Override
	public String toString() {
		return this.cidr.toString();
	}

	/** Dotted quad, or the RFC 5952 text form, through {@link Cidr}'s printer. */
	static String format(InetAddress address) {
		return Cidr.parse(address.getHostAddress()).network();
	}

	/** Parses a literal address only, never a host name (no DNS lookups here). */
	static InetAddress parseAddress(String text) {
		Cidr host = Cidr.parse(text);
		if (host.prefixLength() != host.addressBits() || text.indexOf('/') >= 0) {
			throw new IllegalArgumentException("'" + text + "' is not an IP address");
		}
		try {
			return InetAddress.getByAddress(literal(host.network()));
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("'" + text + "' is not an IP address", ex);
		}
	}

	// Only reached with text Cidr printed (or validated) as a literal: no lookup happens.
	private static byte[] literal(String text) {
		try {
			return InetAddress.getByName(text).getAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("'" + text + "' is not an IP address", ex);
		}
	}

}
