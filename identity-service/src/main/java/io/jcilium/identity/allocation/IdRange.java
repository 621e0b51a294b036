package io.jcilium.identity.allocation;

/**
 * The inclusive range of cluster-local identities this allocator hands out.
 *
 * @param min the lowest identity
 * @param max the highest identity
 */
public record IdRange(int min, int max) {

	public IdRange {
		if (min <= ReservedIdentities.MAX_RESERVED || max < min) {
			throw new IllegalArgumentException(
					"identity range " + min + "-" + max + " must lie above the reserved identities 1-"
							+ ReservedIdentities.MAX_RESERVED + " and have min <= max");
		}
	}

	public boolean contains(long id) {
		return id >= this.min && id <= this.max;
	}

	@Override
	public String toString() {
		return this.min + "-" + this.max;
	}

}
