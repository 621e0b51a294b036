package io.jcilium.common.net;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Cutting prefixes into smaller ones: subnets of a longer length, and a prefix minus
 * others. Behind {@link Cidr}'s methods of the same names.
 */
final class CidrCarving {

	/** Listing more subnets than this at once is refused: index them with a subnet. */
	private static final int MAX_LISTED_BITS = 16;

	private CidrCarving() {
	}

	static List<Cidr> subnets(Cidr cidr, int newPrefixLength) {
		checkLength(cidr, newPrefixLength, "split");
		if (newPrefixLength - cidr.prefixLength() > MAX_LISTED_BITS) {
			throw new IllegalArgumentException(
					"splitting " + cidr + " into /" + newPrefixLength + " subnets gives more than 65536 of them");
		}
		int count = 1 << (newPrefixLength - cidr.prefixLength());
		List<Cidr> subnets = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			subnets.add(subnet(cidr, newPrefixLength, i));
		}
		return subnets;
	}

	static BigInteger subnetCount(Cidr cidr, int newPrefixLength) {
		checkLength(cidr, newPrefixLength, "count");
		return BigInteger.ONE.shiftLeft(newPrefixLength - cidr.prefixLength());
	}

	static Cidr subnet(Cidr cidr, int newPrefixLength, long index) {
		if (index < 0 || BigInteger.valueOf(index).compareTo(subnetCount(cidr, newPrefixLength)) >= 0) {
			throw new IllegalArgumentException("subnet index " + index + " is outside the "
					+ subnetCount(cidr, newPrefixLength) + " /" + newPrefixLength + " subnets of " + cidr);
		}
		BigInteger offset = BigInteger.valueOf(index).shiftLeft(cidr.addressBits() - newPrefixLength);
		return new Cidr(cidr.networkValue().add(offset), cidr.addressBits(), newPrefixLength);
	}

	static List<Cidr> except(Cidr cidr, Collection<Cidr> excluded) {
		List<Cidr> remaining = new ArrayList<>(List.of(cidr));
		for (Cidr cut : excluded) {
			List<Cidr> next = new ArrayList<>();
			for (Cidr piece : remaining) {
				if (cut.contains(piece)) {
					continue;
				}
				if (piece.contains(cut)) {
					carve(piece, cut, next);
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

	// Walk from the piece down to the cut, keeping at each level the half that does not
	// hold it.
	private static void carve(Cidr piece, Cidr cut, List<Cidr> out) {
		int bits = piece.addressBits();
		Cidr current = piece;
		while (current.prefixLength() < cut.prefixLength()) {
			int childLength = current.prefixLength() + 1;
			Cidr low = new Cidr(current.networkValue(), bits, childLength);
			Cidr high = new Cidr(current.networkValue().setBit(bits - childLength), bits, childLength);
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

	private static void checkLength(Cidr cidr, int newPrefixLength, String verb) {
		if (newPrefixLength < cidr.prefixLength() || newPrefixLength > cidr.addressBits()) {
			throw new IllegalArgumentException("cannot " + verb + " " + cidr + " into /" + newPrefixLength
					+ " subnets: the length must be from " + cidr.prefixLength() + " to " + cidr.addressBits());
		}
	}

}
