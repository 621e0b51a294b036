package io.jcilium.operator.lbipam;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pools of one plan: which are usable, which conflict, and their blocks.
 * <p>
 * Pools must not overlap. As upstream, the pool added last (the newer one) is marked
 * {@value LbCondition#POOL_CONFLICT} and nothing is allocated from it, so that adding a
 * bad pool never moves addresses already handed out from a good one.
 */
final class PoolSet {

	private final Map<String, LbCondition> conflicts = new LinkedHashMap<>();

	private final List<RangeState> usable = new ArrayList<>();

	private final List<LbPool> pools;

	PoolSet(List<LbPool> pools) {
		this.pools = new ArrayList<>(pools);
		this.pools.sort(Comparator.comparingLong(LbPool::creationOrder).thenComparing(LbPool::name));
		for (LbPool pool : this.pools) {
			addPool(pool);
		}
	}

	private void addPool(LbPool pool) {
		List<AddressRange> ranges;
		try {
			ranges = pool.ranges();
		}
		catch (IllegalArgumentException ex) {
			this.conflicts.put(pool.name(), new LbCondition(LbCondition.POOL_CONFLICT, "True", "invalid_block",
					"Pool has an invalid block: " + ex.getMessage()));
			return;
		}
		for (AddressRange range : ranges) {
			for (RangeState other : this.usable) {
				if (range.overlaps(other.range)) {
					this.conflicts.put(pool.name(),
							new LbCondition(LbCondition.POOL_CONFLICT, "True", "cidr_overlap",
									"Pool conflicts since CIDR '" + range.text() + "' overlaps CIDR '"
											+ other.range.text() + "' from IP Pool '" + other.pool.name() + "'"));
					return;
				}
			}
		}
		for (int i = 0; i < ranges.size(); i++) {
			for (int j = i + 1; j < ranges.size(); j++) {
				if (ranges.get(i).overlaps(ranges.get(j))) {
					this.conflicts.put(pool.name(),
							new LbCondition(LbCondition.POOL_CONFLICT, "True", "cidr_overlap",
									"Pool conflicts since CIDR '" + ranges.get(j).text() + "' overlaps CIDR '"
											+ ranges.get(i).text() + "' of the same pool"));
					return;
				}
			}
		}
		for (AddressRange range : ranges) {
			this.usable.add(new RangeState(pool, range));
		}
	}

	/**
	 * Blocks of non-conflicting pools, oldest pool first.
	 * @return the blocks
	 */
	List<RangeState> usableRanges() {
		return this.usable;
	}

	/**
	 * The block holding the address in a non-conflicting pool that selects the service.
	 * @param value the address
	 * @param bits its width
	 * @param service the service asking
	 * @param allowDisabled whether a disabled pool counts (it keeps what it gave out)
	 * @return the block, or {@code null}
	 */
	RangeState find(BigInteger value, int bits, LbService service, boolean allowDisabled) {
		for (RangeState state : this.usable) {
			if (state.range.contains(value, bits) && (allowDisabled || !state.pool.disabled())
					&& state.pool.selects(service)) {
				return state;
			}
		}
		return null;
	}

	boolean anyHolds(BigInteger value, int bits) {
		return this.usable.stream().anyMatch((state) -> state.range.contains(value, bits));
	}

	Map<String, List<LbCondition>> conditions() {
		Map<String, List<LbCondition>> byPool = new LinkedHashMap<>();
		for (LbPool pool : this.pools) {
			BigInteger total = BigInteger.ZERO;
			long used = 0;
			if (!this.conflicts.containsKey(pool.name())
					|| !"invalid_block".equals(this.conflicts.get(pool.name()).reason())) {
				for (AddressRange range : pool.ranges()) {
					total = total.add(range.size());
				}
			}
			for (RangeState state : this.usable) {
				if (state.pool == pool) {
					used += state.usedCount();
				}
			}
			LbCondition conflict = this.conflicts.getOrDefault(pool.name(), new LbCondition(LbCondition.POOL_CONFLICT,
					"False", "resolved", "Pool does not overlap any older pool"));
			byPool.put(pool.name(),
					List.of(conflict, LbCondition.counter(LbCondition.POOL_IPS_TOTAL, total),
							LbCondition.counter(LbCondition.POOL_IPS_AVAILABLE,
									total.subtract(BigInteger.valueOf(used))),
							LbCondition.counter(LbCondition.POOL_IPS_USED, used)));
		}
		return byPool;
	}

}
