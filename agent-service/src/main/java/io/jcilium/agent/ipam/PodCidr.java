package io.jcilium.agent.ipam;

import java.net.InetAddress;

import io.jcilium.common.net.Cidr;
import io.jcilium.common.net.IpAddress;

/**
 * The node's pod CIDR as the allocator uses it: a {@link Cidr}, which parses, validates,
 * prints it and addresses it by {@code long} offset (the one offset implementation, on
 * raw address bytes), plus the allocator's literal-only address parsing.
 */
final class PodCidr {

	private final Cidr cidr;

	private PodCidr(Cidr cidr) {
		this.cidr = cidr;
	}

	/**
	 * Parses {@code "10.0.1.0/24"} or {@code "fd00:0:0:1::/64"}. Host bits must be zero
	 * ({@link Cidr#parseStrict}): a node CIDR with host bits set is almost always a typo.
	 */
	static PodCidr parse(String text) {
		return new PodCidr(Cidr.parseStrict(text));
	}

	int hostBits() {
		return this.cidr.hostBits();
	}

	/** Number of addresses usable as offsets; capped at 2^62 for huge IPv6 prefixes. */
	long size() {
		return this.cidr.offsetCount();
	}

	/** The address {@code offset} places after the network address. */
	InetAddress addressAt(long offset) {
		return this.cidr.addressAt(offset);
	}

	/** Offset of {@code address} in this prefix, or -1 if it is not inside. */
	long offsetOf(InetAddress address) {
		return this.cidr.offsetOf(address);
	}

	@Override
	public String toString() {
		return this.cidr.toString();
	}

	/** Dotted quad, or the RFC 5952 text form. */
	static String format(InetAddress address) {
		return IpAddress.format(address);
	}

	/** Parses a literal address only, never a prefix or a host name (no DNS lookups). */
	static InetAddress parseAddress(String text) {
		if (text.indexOf('/') >= 0) {
			throw new IllegalArgumentException("'" + text + "' is not an IP address");
		}
		return IpAddress.parseLiteral(text);
	}

}
