package io.jcilium.common.net;

import java.math.BigInteger;
import java.net.InetAddress;

/**
 * Addresses of a prefix by their offset from its network address, as a pod IP allocator
 * keeps them. Behind {@link Cidr}'s offset methods.
 */
final class CidrOffsets {

	/** Offsets are longs; a prefix with more host bits is used only up to 2^62. */
	private static final int MAX_HOST_BITS = 62;

	private CidrOffsets() {
	}

	static long count(Cidr cidr) {
		return 1L << Math.min(cidr.hostBits(), MAX_HOST_BITS);
	}

	static InetAddress addressAt(Cidr cidr, long offset) {
		if (offset < 0 || offset >= count(cidr)) {
			throw new IllegalArgumentException("offset " + offset + " outside " + cidr);
		}
		return IpAddress.toInetAddress(cidr.networkValue().add(BigInteger.valueOf(offset)), cidr.addressBits());
	}

	static long offsetOf(Cidr cidr, InetAddress address) {
		byte[] bytes = address.getAddress();
		BigInteger value = new BigInteger(1, bytes);
		if (bytes.length * 8 != cidr.addressBits()
				|| !value.and(Cidr.mask(cidr.addressBits(), cidr.prefixLength())).equals(cidr.networkValue())) {
			return -1;
		}
		BigInteger offset = value.subtract(cidr.networkValue());
		return (offset.compareTo(BigInteger.valueOf(count(cidr))) < 0) ? offset.longValueExact() : -1;
	}

}
