package io.jcilium.common.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

/**
 * An IPv4 or IPv6 prefix: the one prefix type of the project, for policy CIDRs, IPAM
 * pools carved into blocks ({@link #subnet}, {@link #overlaps}) and a node's pod CIDR
 * addressed by offset ({@link #addressAt}, {@link #offsetOf}).
 * <p>
 * Host bits: {@link #parse} clears them ({@code 10.0.0.1/24} becomes
 * {@code 10.0.0.0/24}), as Kubernetes' {@code ipBlock} validation and Cilium's
 * {@code toCIDR}/{@code toCIDRSet} accept such input and both use the masked network;
 * {@link #parseStrict} rejects them, for configuration where a stray host bit is more
 * likely a typo (pool and node CIDRs). A bare address is a host prefix ({@code /32} or
 * {@code /128}) for {@link #parse}, as in Cilium's {@code toCIDR}; {@link #parseStrict}
 * wants the length written.
 */
public final class Cidr implements Comparable<Cidr> {

	private final BigInteger network;

	private final int bits;

	private final int prefixLength;

	// Created on first use of an offset method: most prefixes (policy CIDRs, carved
	// blocks) never need their address bytes.
	private volatile CidrOffsets offsets;

	Cidr(BigInteger network, int bits, int prefixLength) {
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
		return CidrParser.parse(text, false);
	}

	/**
	 * Parse a CIDR written with its prefix length, rejecting host bits; surrounding
	 * blanks are ignored.
	 * @param text e.g. {@code 10.0.0.0/8}
	 * @return the prefix
	 * @throws IllegalArgumentException if host bits are set, the length is missing or the
	 * text is invalid
	 */
	public static Cidr parseStrict(String text) {
		return CidrParser.parse((text != null) ? text.strip() : null, true);
	}

	public boolean isIpv4() {
		return this.bits == 32;
	}

	public boolean isIpv6() {
		return this.bits == 128;
	}

	public int prefixLength() {
		return this.prefixLength;
	}

	/** Address width: 32 for IPv4, 128 for IPv6. */
	public int addressBits() {
		return this.bits;
	}

	/** Bits left for hosts: address width minus prefix length (8 for an IPv4 /24). */
	public int hostBits() {
		return this.bits - this.prefixLength;
	}

	/** The first address, e.g. {@code 10.0.0.0}. */
	public String network() {
		return IpAddress.format(this.network, this.bits);
	}

	/** The last address (for IPv4 the broadcast address), e.g. {@code 10.255.255.255}. */
	public String last() {
		return IpAddress.format(lastValue(), this.bits);
	}

	/** How many addresses the prefix holds: 2^(bits - prefix length). */
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
	 * Whether the two prefixes share any address (one contains the other); prefixes of
	 * different families never do.
	 * @param other a prefix
	 * @return whether they overlap
	 */
	public boolean overlaps(Cidr other) {
		return contains(other) || other.contains(this);
	}

	/**
	 * Every subnet of a longer prefix length, in address order.
	 * @param newPrefixLength the subnets' prefix length, at least this prefix length
	 * @return the subnets
	 * @throws IllegalArgumentException if the length is shorter or would give over 65536
	 * subnets
	 */
	public List<Cidr> subnets(int newPrefixLength) {
		return CidrCarving.subnets(this, newPrefixLength);
	}

	/**
	 * How many subnets of a longer prefix length this prefix holds.
	 * @param newPrefixLength the subnets' prefix length, from this prefix length to the
	 * address width
	 * @return 2^(new length - this length)
	 */
	public BigInteger subnetCount(int newPrefixLength) {
		return CidrCarving.subnetCount(this, newPrefixLength);
	}

	/**
	 * The subnet of a longer prefix length at an index, in address order (how IPAM carves
	 * a pool into node blocks without listing them).
	 * @param newPrefixLength the subnet's prefix length
	 * @param index from 0 to {@link #subnetCount} - 1
	 * @return the subnet
	 */
	public Cidr subnet(int newPrefixLength, long index) {
		return CidrCarving.subnet(this, newPrefixLength, index);
	}

	/**
	 * This prefix minus the given ones, as the minimal sorted list of prefixes covering
	 * exactly the remaining addresses (how Cilium turns {@code toCIDRSet} with
	 * {@code except} into prefixes).
	 * @param excluded prefixes to remove; those outside this one are ignored
	 * @return the remaining prefixes, possibly empty
	 */
	public List<Cidr> except(Collection<Cidr> excluded) {
		return CidrCarving.except(this, excluded);
	}

	/**
	 * How many addresses are reachable by a {@code long} offset: the size, capped at 2^62
	 * for the huge IPv6 prefixes no allocator walks to the end.
	 * @return the number of offsets from 0
	 */
	public long offsetCount() {
		return CidrOffsets.count(this);
	}

	/**
	 * The address an offset after the network address.
	 * @param offset from 0 to {@link #offsetCount()} - 1
	 * @return the address
	 * @throws IllegalArgumentException if the offset is outside
	 */
	public InetAddress addressAt(long offset) {
		return offsets().addressAt(offset);
	}

	/**
	 * The offset of an address from the network address.
	 * @param address an address
	 * @return the offset, or -1 if the address is not inside (or beyond
	 * {@link #offsetCount()})
	 */
	public long offsetOf(InetAddress address) {
		return offsets().offsetOf(address);
	}

	private CidrOffsets offsets() {
		CidrOffsets current = this.offsets;
		if (current == null) {
			current = new CidrOffsets(this);
			this.offsets = current;
		}
		return current;
	}

	BigInteger networkValue() {
		return this.network;
	}

	private BigInteger lastValue() {
		return this.network.or(BigInteger.ONE.shiftLeft(this.bits - this.prefixLength).subtract(BigInteger.ONE));
	}

	static BigInteger mask(int bits, int prefixLength) {
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
