package io.jcilium.ipam.block;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.common.net.Cidr;

/**
 * One family of one pool: its CIDRs carved into blocks of {@code maskSize}, numbered
 * 0..{@link #total()}-1 across the CIDRs in order.
 */
public final class BlockSpace {

	/**
	 * Upstream's cluster-pool refuses a mask size more than 16 bits longer than the
	 * cluster CIDR (65536 blocks per CIDR); the same bound keeps the block numbers exact
	 * in Lua.
	 */
	static final int MAX_BLOCK_BITS = 16;

	private final String pool;

	private final Family family;

	private final List<Cidr> cidrs;

	private final int maskSize;

	private final long[] firstIndex;

	private final long total;

	/**
	 * @param pool the pool's name, for messages and keys
	 * @param family the family every CIDR must have
	 * @param cidrs the pool's CIDRs of that family; must not overlap
	 * @param maskSize the prefix length of each block handed to a node
	 */
	public BlockSpace(String pool, Family family, List<String> cidrs, int maskSize) {
		this.pool = pool;
		this.family = family;
		this.maskSize = maskSize;
		this.cidrs = new ArrayList<>();
		this.firstIndex = new long[cidrs.size()];
		long count = 0;
		for (String text : cidrs) {
			Cidr cidr = Cidr.parseStrict(text);
			String where = "pool '" + pool + "': CIDR " + cidr;
			if (cidr.addressBits() != family.bits()) {
				throw new IllegalArgumentException(where + " is not " + family.displayName());
			}
			if (maskSize < cidr.prefixLength() || maskSize > family.bits()) {
				throw new IllegalArgumentException(where + " cannot be carved into /" + maskSize
						+ " blocks: the mask size must be between " + cidr.prefixLength() + " and " + family.bits());
			}
			if (maskSize - cidr.prefixLength() > MAX_BLOCK_BITS) {
				throw new IllegalArgumentException(where + " with mask size /" + maskSize + " would have 2^"
						+ (maskSize - cidr.prefixLength()) + " blocks; at most 2^" + MAX_BLOCK_BITS
						+ " per CIDR are supported (use a mask size of at most /"
						+ (cidr.prefixLength() + MAX_BLOCK_BITS) + " or split the CIDR)");
			}
			for (Cidr other : this.cidrs) {
				if (other.overlaps(cidr)) {
					throw new IllegalArgumentException(where + " overlaps " + other + " in the same pool");
				}
			}
			this.firstIndex[this.cidrs.size()] = count;
			this.cidrs.add(cidr);
			count += cidr.subnetCount(maskSize).longValueExact();
		}
		this.total = count;
	}

	public String pool() {
		return this.pool;
	}

	public Family family() {
		return this.family;
	}

	public int maskSize() {
		return this.maskSize;
	}

	public List<String> cidrs() {
		return this.cidrs.stream().map(Cidr::toString).toList();
	}

	/** Whether this space has any CIDR (a pool may have one family only). */
	public boolean isEmpty() {
		return this.total == 0;
	}

	public long total() {
		return this.total;
	}

	/** The block with number {@code index}, as CIDR text. */
	public String blockAt(long index) {
		if (index < 0 || index >= this.total) {
			throw new IndexOutOfBoundsException("block " + index + " outside 0.." + (this.total - 1));
		}
		int cidr = this.cidrs.size() - 1;
		while (this.firstIndex[cidr] > index) {
			cidr--;
		}
		return this.cidrs.get(cidr).subnet(this.maskSize, index - this.firstIndex[cidr]).toString();
	}

	/** Whether any CIDR of this space overlaps any of {@code other}'s. */
	public boolean overlaps(BlockSpace other) {
		return this.cidrs.stream().anyMatch((mine) -> other.cidrs.stream().anyMatch(mine::overlaps));
	}

	/** Describes the space for messages: {@code 10.0.0.0/8 in /24 blocks}. */
	public String describe() {
		return String.join(", ", cidrs()) + " in /" + this.maskSize + " blocks";
	}

}
