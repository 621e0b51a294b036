package io.jcilium.ipam.lbipam;

import java.math.BigInteger;

import io.jcilium.ipam.block.Family;
import io.jcilium.ipam.block.Prefix;

/**
 * An inclusive range of addresses of one family, as numbers.
 */
record IpRange(Family family, BigInteger first, BigInteger last) {

	/** The range a pool block stands for, honouring {@code allowFirstLastIPs}. */
	static IpRange of(LbPool.Block block, boolean allowFirstLast) {
		if (block.cidr() != null) {
			Prefix cidr = Prefix.parse(block.cidr());
			BigInteger size = BigInteger.ONE.shiftLeft(cidr.family().bits() - cidr.length());
			BigInteger first = cidr.network();
			BigInteger last = first.add(size).subtract(BigInteger.ONE);
			boolean tiny = cidr.family().bits() - cidr.length() <= 1;
			if (!allowFirstLast && !tiny) {
				return new IpRange(cidr.family(), first.add(BigInteger.ONE), last.subtract(BigInteger.ONE));
			}
			return new IpRange(cidr.family(), first, last);
		}
		if (block.start() == null) {
			throw new IllegalArgumentException("block has neither cidr nor start");
		}
		Prefix start = address(block.start());
		Prefix stop = (block.stop() != null) ? address(block.stop()) : start;
		if (start.family() != stop.family() || start.network().compareTo(stop.network()) > 0) {
			throw new IllegalArgumentException(
					"block start " + block.start() + " and stop " + block.stop() + " do not form a range");
		}
		return new IpRange(start.family(), start.network(), stop.network());
	}

	/** Parses a single address. */
	static Prefix address(String ip) {
		String text = (ip == null) ? "" : ip.strip();
		return Prefix.parse(text + "/" + (text.contains(":") ? 128 : 32));
	}

	static String format(Family family, BigInteger ip) {
		String text = new Prefix(family, ip, family.bits()).toString();
		return text.substring(0, text.indexOf('/'));
	}

	boolean contains(Family family, BigInteger ip) {
		return this.family == family && this.first.compareTo(ip) <= 0 && this.last.compareTo(ip) >= 0;
	}

	boolean overlaps(IpRange other) {
		return this.family == other.family && this.first.compareTo(other.last) <= 0
				&& other.first.compareTo(this.last) <= 0;
	}

	@Override
	public String toString() {
		return format(this.family, this.first) + "-" + format(this.family, this.last);
	}

}
