package io.jcilium.operator.lbipam;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import io.jcilium.common.net.Cidr;

/**
 * An inclusive range of IPv4 or IPv6 addresses, as unsigned integers, so that CIDR blocks
 * and {@code start}/{@code stop} blocks are handled alike.
 *
 * @param first the lowest address
 * @param last the highest address
 * @param bits 32 for IPv4, 128 for IPv6
 * @param text how the block was written, for messages
 */
record AddressRange(BigInteger first, BigInteger last, int bits, String text) {

	AddressRange {
		if (first.compareTo(last) > 0) {
			throw new IllegalArgumentException("range '" + text + "' is empty: its start is after its stop");
		}
	}

	/**
	 * A CIDR block. As upstream, the first (network) and last (broadcast) address are not
	 * handed out unless {@code allowFirstLast}; IPv4 /31 and /32 and IPv6 /127 and /128
	 * keep all their addresses, since they hold only one or two.
	 * @param cidr e.g. {@code 10.0.10.0/24}
	 * @param allowFirstLast {@code allowFirstLastIPs: Yes}
	 * @return the usable range
	 */
	static AddressRange ofCidr(String cidr, boolean allowFirstLast) {
		Cidr parsed = Cidr.parse(cidr);
		BigInteger first = value(parsed.network());
		BigInteger last = value(parsed.last());
		boolean tiny = parsed.addressBits() - parsed.prefixLength() <= 1;
		if (!allowFirstLast && !tiny) {
			first = first.add(BigInteger.ONE);
			last = last.subtract(BigInteger.ONE);
		}
		return new AddressRange(first, last, parsed.addressBits(), parsed.toString());
	}

	/**
	 * A {@code start}/{@code stop} block; every address counts, ranges reserve none. A
	 * missing stop means the single start address, as upstream.
	 * @param start first address
	 * @param stop last address, or {@code null}
	 * @return the range
	 */
	static AddressRange ofStartStop(String start, String stop) {
		String end = (stop == null || stop.isBlank()) ? start : stop;
		int startBits = bitsOf(start);
		if (startBits != bitsOf(end)) {
			throw new IllegalArgumentException(
					"range '" + start + " - " + end + "' mixes IPv4 and IPv6: start and stop must be one family");
		}
		return new AddressRange(value(start), value(end), startBits, start + " - " + end);
	}

	static BigInteger value(String address) {
		// Cidr validates the literal, so the lookup below never touches DNS.
		Cidr.parse(address);
		try {
			return new BigInteger(1, InetAddress.getByName(address.trim()).getAddress());
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("invalid IP address '" + address + "'", ex);
		}
	}

	static int bitsOf(String address) {
		return Cidr.parse(address).addressBits();
	}

	static String format(BigInteger value, int bits) {
		byte[] raw = value.toByteArray();
		byte[] bytes = new byte[bits / 8];
		int copy = Math.min(raw.length, bytes.length);
		System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
		try {
			// Cidr prints the canonical (RFC 5952) form.
			return Cidr.parse(InetAddress.getByAddress(bytes).getHostAddress()).network();
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("address of " + Arrays.toString(bytes) + " bytes", ex);
		}
	}

	boolean isIpv4() {
		return this.bits == 32;
	}

	boolean contains(BigInteger address, int addressBits) {
		return addressBits == this.bits && address.compareTo(this.first) >= 0 && address.compareTo(this.last) <= 0;
	}

	boolean overlaps(AddressRange other) {
		return other.bits == this.bits && other.first.compareTo(this.last) <= 0
				&& this.first.compareTo(other.last) <= 0;
	}

	BigInteger size() {
		return this.last.subtract(this.first).add(BigInteger.ONE);
	}

}
