package io.jcilium.common.net;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An IPv4 or IPv6 prefix.
 * <p>
 * Host bits: {@link #parse} clears them ({@code 10.0.0.1/24} becomes
 * {@code 10.0.0.0/24}), as Kubernetes' {@code ipBlock} validation and Cilium's
 * {@code toCIDR}/{@code toCIDRSet} accept such input and both use the masked network;
 * {@link #parseStrict} rejects them, for configuration where a stray host bit is more
 * likely a typo (pool and node CIDRs). A bare address is a host prefix ({@code /32} or
 * {@code /128}), as in Cilium's {@code toCIDR}.
 */
public final class Cidr implements Comparable<Cidr> {

	private final BigInteger network;

	private final int bits;

	private final int prefixLength;

	private Cidr(BigInteger network, int bits, int prefixLength) {
		this.network = network;
		this.bits = bits;
		this.prefixLength = prefixLength;
	}

	/**
	 * Parse a CIDR, clearing host bits.
	 * @param text e.g. {@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 10.1.2.3}
	 * @return the prefix
	 * @throws IllegalArgumentException naming the bad address or prefix length
	 */
	public static Cidr parse(String text) {
		return parse(text, false);
	}

	/**
	 * Parse a CIDR, rejecting host bits.
	 * @param text e.g. {@code 10.0.0.0/8}
	 * @return the prefix
	 * @throws IllegalArgumentException if host bits are set or the text is invalid
	 */
	public static Cidr parseStrict(String text) {
		return parse(text, true);
	}

	private static Cidr parse(String text, boolean strict) {
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException("CIDR is empty");
		}
		int slash = text.indexOf('/');
		String addressText = (slash >= 0) ? text.substring(0, slash) : text;
		IpAddress.Parsed address;
		try {
			address = IpAddress.parse(addressText);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("invalid CIDR '" + text + "': " + ex.getMessage(), ex);
		}
		int length = address.bits();
		if (slash >= 0) {
			String lengthText = text.substring(slash + 1);
			if (!lengthText.matches("\\d{1,3}") || Integer.parseInt(lengthText) > address.bits()) {
				throw new IllegalArgumentException("invalid CIDR '" + text + "': prefix length '" + lengthText
						+ "' must be a number from 0 to " + address.bits());
			}
			length = Integer.parseInt(lengthText);
		}
		BigInteger network = address.value().and(mask(address.bits(), length));
		if (strict && !network.equals(address.value())) {
			throw new IllegalArgumentException("invalid CIDR '" + text + "': host bits are set, did you mean '"
					+ IpAddress.format(network, address.bits()) + "/" + length + "'?");
		}
		return new Cidr(network, address.bits(), length);
	}

	public boolean isIpv4() {
		return this.bits == 32;
	}

	public int prefixLength() {
		return this.prefixLength;
	}

	/**
	 * Address width: 32 for IPv4, 128 for IPv6.
	 * @return bits of an address
	 */
	public int addressBits() {
		return this.bits;
	}

	/**
	 * The first address, e.g. {@code 10.0.0.0}.
	 * @return the network address
	 */
	public String network() {
		return IpAddress.format(this.network, this.bits);
	}

	/**
	 * The last address (for IPv4 the broadcast address), e.g. {@code 10.255.255.255}.
	 * @return the last address of the prefix
	 */
	public String last() {
		return IpAddress.format(lastValue(), this.bits);
	}

	/**
	 * How many addresses the prefix holds.
	 * @return 2^(bits - prefix length)
	 */
	public BigInteger size() {
		return BigInteger.ONE.shiftLeft(this.bits - this.prefixLength);
	}

	/**
	 * The n-th address of the prefix, counting the network address as 0.
	 * @param n index
	 * @return the address
	 * @throws IllegalArgumentException if n is negative or not below {@link #size()}
	 */
	public String nth(BigInteger n) {
		if (n.signum() < 0 || n.compareTo(size()) >= 0) {
			throw new IllegalArgumentException("address index " + n + " is outside " + this + " (size " + size() + ")");
		}
		return IpAddress.format(this.network.add(n), this.bits);
	}

	/**
	 * The n-th address of the prefix.
	 * @param n index
	 * @return the address
	 */
	public String nth(long n) {
		return nth(BigInteger.valueOf(n));
	}

	/**
	 * Whether the address lies in the prefix; an address of the other family never does.
	 * @param address literal address
	 * @return whether it is inside
	 */
	public boolean contains(String address) {
		IpAddress.Parsed parsed = IpAddress.parse(address);
		return parsed.bits() == this.bits
				&& parsed.value().and(mask(this.bits, this.prefixLength)).equals(this.network);
	}

	/**
	 * Whether the other prefix lies entirely inside this one.
	 * @param other a prefix
	 * @return whether it is inside (a prefix contains itself)
	 */
	public boolean contains(Cidr other) {
		return other.bits == this.bits && other.prefixLength >= this.prefixLength
				&& other.network.and(mask(this.bits, this.prefixLength)).equals(this.network);
	}

	/**
	 * Every subnet of a longer prefix length, in address order.
	 * @param newPrefixLength the subnets' prefix length, at least this prefix length
	 * @return the subnets
	 * @throws IllegalArgumentException if the length is shorter or would give over 65536
	 * subnets
	 */
	public List<Cidr> subnets(int newPrefixLength) {
		if (newPrefixLength < this.prefixLength || newPrefixLength > this.bits) {
			throw new IllegalArgumentException("cannot split " + this + " into /" + newPrefixLength
					+ " subnets: the length must be from " + this.prefixLength + " to " + this.bits);
		}
		if (newPrefixLength - this.prefixLength > 16) {
			throw new IllegalArgumentException(
					"splitting " + this + " into /" + newPrefixLength + " subnets gives more than 65536 of them");
		}
		int count = 1 << (newPrefixLength - this.prefixLength);
		BigInteger step = BigInteger.ONE.shiftLeft(this.bits - newPrefixLength);
		List<Cidr> subnets = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			subnets.add(new Cidr(this.network.add(step.multiply(BigInteger.valueOf(i))), this.bits, newPrefixLength));
		}
		return subnets;
	}

	/**
	 * This prefix minus the given ones, as the minimal sorted list of prefixes covering
	 * exactly the remaining addresses (how Cilium turns {@code toCIDRSet} with
	 * {@code except} into prefixes).
	 * @param excluded prefixes to remove; those outside this one are ignored
	 * @return the remaining prefixes, possibly empty
	 */
	public List<Cidr> except(Collection<Cidr> excluded) {
		List<Cidr> remaining = new ArrayList<>(List.of(this));
		for (Cidr cut : excluded) {
			List<Cidr> next = new ArrayList<>();
			for (Cidr piece : remaining) {
				if (cut.contains(piece)) {
					continue;
				}
				if (piece.contains(cut)) {
					piece.carve(cut, next);
				}
				else {
					next.add(piece);
				}
			}
			remaining = next;
		}
		remaining.sort(null);
		return remaining;
	}

	// Walk from this prefix down to the cut, keeping at each level the half that does not
	// hold it.
	private void carve(Cidr cut, List<Cidr> out) {
		Cidr current = this;
		while (current.prefixLength < cut.prefixLength) {
			int childLength = current.prefixLength + 1;
			Cidr low = new Cidr(current.network, this.bits, childLength);
			Cidr high = new Cidr(current.network.setBit(this.bits - childLength), this.bits, childLength);
			if (low.contains(cut)) {
				out.add(high);
				current = low;
			}
			else {
				out.add(low);
				current = high;
			}
		}
	}

	private BigInteger lastValue() {
		return this.network.or(BigInteger.ONE.shiftLeft(this.bits - this.prefixLength).subtract(BigInteger.ONE));
	}

	private static BigInteger mask(int bits, int prefixLength) {
		BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
		BigInteger host = BigInteger.ONE.shiftLeft(bits - prefixLength).subtract(BigInteger.ONE);
		return all.xor(host);
	}

	@Override
	public int compareTo(Cidr other) {
		int c = Integer.compare(this.bits, other.bits);
		if (c == 0) {
			c = this.network.compareTo(other.network);
		}
		return (c != 0) ? c : Integer.compare(this.prefixLength, other.prefixLength);
	}

	@Override
	public boolean equals(Object obj) {
		return (obj instanceof Cidr other) && this.bits == other.bits && this.prefixLength == other.prefixLength
				&& this.network.equals(other.network);
	}

	@Override
	public int hashCode() {
		return (this.network.hashCode() * 31 + this.prefixLength) * 31 + this.bits;
	}

	/**
	 * The canonical form, e.g. {@code 10.0.0.0/8} or {@code 2001:db8::/32}.
	 */
	@Override
	public String toString() {
		return network() + "/" + this.prefixLength;
	}

}
