package io.jcilium.operator.lbipam;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;

/**
 * One block of one usable pool, with the addresses taken from it in this plan.
 */
final class RangeState {

	final LbPool pool;

	final AddressRange range;

	private final Set<BigInteger> used = new HashSet<>();

	// Generic allocations come after every import and specific request, so the lowest
	// free address only ever moves up while they run.
	private BigInteger cursor;

	RangeState(LbPool pool, AddressRange range) {
		this.pool = pool;
		this.range = range;
		this.cursor = range.first();
	}

	boolean isUsed(BigInteger value) {
		return this.used.contains(value);
	}

	void take(BigInteger value) {
		this.used.add(value);
	}

	int usedCount() {
		return this.used.size();
	}

	/**
	 * The lowest free address, taken.
	 * @return the address, or {@code null} when the block is full
	 */
	BigInteger takeNext() {
		while (this.cursor.compareTo(this.range.last()) <= 0 && this.used.contains(this.cursor)) {
			this.cursor = this.cursor.add(BigInteger.ONE);
		}
		if (this.cursor.compareTo(this.range.last()) > 0) {
			return null;
		}
		BigInteger value = this.cursor;
		this.used.add(value);
		return value;
	}

}
