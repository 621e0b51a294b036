package io.jcilium.ipam.block;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PoolMetricsTest {

	@Test
	void reportsBlocksInUseAndTotalPerPoolAndFamily() {
		BlockAllocator allocator = new BlockAllocator(new InMemoryBlockStore());
		Pool pool = Pool.of("default", List.of("10.0.0.0/22"), 24, List.of("fd00::/118"), 120);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new PoolMetrics(() -> List.of(pool), allocator).bindTo(registry);

		allocator.ensure(pool.ipv4(), "node-a", 3);

		assertThat(registry.get("jcilium.ipam.pool.blocks.in.use")
			.tags("pool", "default", "family", "ipv4")
			.gauge()
			.value()).isEqualTo(3);
		assertThat(registry.get("jcilium.ipam.pool.blocks.in.use").tags("family", "ipv6").gauge().value()).isZero();
		assertThat(registry.get("jcilium.ipam.pool.blocks.total").tags("family", "ipv6").gauge().value()).isEqualTo(4);
	}

}
