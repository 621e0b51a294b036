package io.jcilium.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Addresses of a prefix by their offset from its network address, as a pod IP allocator
 * keeps them: arithmetic on the raw address bytes, as the allocator runs it on every
 * allocation. Behind {@link Cidr}'s offset methods; immutable.
 */
final class CidrOffsets {

	/** Offsets are longs; a prefix with more host bits is used only up to 2^62. */
	private static final int MAX_HOST_BITS = 62;

	private final Cidr cidr;

	private final byte[] network;

	private final int hostBits;

	private final long count;

	CidrOffsets(Cidr cidr) {
		this.cidr = cidr;
		this.network = IpAddress.bytes(cidr.networkValue(), cidr.addressBits());
		this.hostBits = cidr.hostBits();
		this.count = count(cidr);
	}

	static long count(Cidr cidr) {
		return 1L << Math.min(cidr.hostBits(), MAX_HOST_BITS);
	}

	InetAddress addressAt(long offset) {
		if (offset < 0 || offset >= this.count) {
			throw new IllegalArgumentException("offset " + offset + " outside " + this.cidr);
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
		for (int i = 0; i < bytes.length; i++) {
			int bitsBelow = (bytes.length - 1 - i) * 8;
			if (bitsBelow >= this.hostBits) {
				continue;
			}
			int hostMask = (bitsBelow + 8 <= this.hostBits) ? 0xff : (0xff >>> (8 - (this.hostBits - bitsBelow)));
			if (bitsBelow >= 64) {
				// Host bits a long offset cannot hold: the address is beyond the count.
				if ((bytes[i] & hostMask) != 0) {
					return -1;
				}
				continue;
			}
			offset |= ((long) (bytes[i] & hostMask)) << bitsBelow;
		}
		return (offset < 0 || offset >= this.count) ? -1 : offset;
	}

}
