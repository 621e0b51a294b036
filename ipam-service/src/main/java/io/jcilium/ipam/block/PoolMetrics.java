package io.jcilium.ipam.block;

import java.util.List;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.dao.DataAccessException;

/**
 * Blocks in use and in total per pool and family, read from the store at scrape time so
 * every replica reports the shared truth. A store that cannot be reached reports NaN
 * rather than failing the scrape.
 */
public final class PoolMetrics implements MeterBinder {

	private final Supplier<List<Pool>> pools;

	private final BlockAllocator allocator;

	/**
	 * @param pools the pools to report (read at bind time)
	 * @param allocator the allocator whose store is asked
	 */
	public PoolMetrics(Supplier<List<Pool>> pools, BlockAllocator allocator) {
		this.pools = pools;
		this.allocator = allocator;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (Pool pool : this.pools.get()) {
			for (BlockSpace space : pool.spaces()) {
				Gauge.builder("jcilium.ipam.pool.blocks.in.use", () -> inUse(space))
					.description("Blocks of the pool held by nodes")
					.tags("pool", pool.name(), "family", space.family().code())
					.register(registry);
				Gauge.builder("jcilium.ipam.pool.blocks.total", space::total)
					.description("Blocks the pool has")
					.tags("pool", pool.name(), "family", space.family().code())
					.register(registry);
			}
		}
	}

	private double inUse(BlockSpace space) {
		try {
			return this.allocator.inUse(space);
		}
		catch (DataAccessException ex) {
			return Double.NaN;
		}
	}

}
