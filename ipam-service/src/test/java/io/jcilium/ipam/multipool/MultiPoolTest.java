package io.jcilium.ipam.multipool;

import java.util.List;

import io.jcilium.ipam.block.BlockAllocator;
import io.jcilium.ipam.block.Family;
import io.jcilium.ipam.block.InMemoryBlockStore;
import io.jcilium.ipam.block.Pool;
import io.jcilium.ipam.block.PoolExhaustedException;
import io.jcilium.ipam.block.PoolUsage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

class MultiPoolTest {

	private final Pool cluster = Pool.of("cluster-pool", List.of("10.0.0.0/16"), 24, null, 120);

	private final MultiPool pools = new MultiPool(
			List.of(Pool.of("default", List.of("10.10.0.0/24"), 26, List.of("fd00:10::/112"), 120),
					Pool.of("blue", List.of("10.20.0.0/25"), 26, null, 120)),
			List.of(this.cluster), new BlockAllocator(new InMemoryBlockStore()));

	@Test
	void nodesGetBlocksFromThePoolsTheyNeed() {
		assertThat(this.pools.allocate("default", "node-a", Family.IPV4, 1)).containsExactly("10.10.0.0/26");
		assertThat(this.pools.allocate("default", "node-a", Family.IPV6, 1)).containsExactly("fd00:10::/120");
		assertThat(this.pools.allocate("blue", "node-a", Family.IPV4, 2)).containsExactly("10.20.0.0/26",
				"10.20.0.64/26");
		assertThat(this.pools.blocksOf("node-a")).extracting(NodeBlock::pool, NodeBlock::cidr)
			.containsExactly(tuple("blue", "10.20.0.0/26"), tuple("blue", "10.20.0.64/26"),
					tuple("default", "10.10.0.0/26"), tuple("default", "fd00:10::/120"));
	}

	@Test
	void exhaustionNamesThePool() {
		this.pools.allocate("blue", "node-a", Family.IPV4, 2);
		assertThatExceptionOfType(PoolExhaustedException.class)
			.isThrownBy(() -> this.pools.allocate("blue", "node-b", Family.IPV4, 1))
			.withMessageContaining("IP pool 'blue' is exhausted");
	}

	@Test
	void unknownPoolsAndMissingFamiliesAreReported() {
		assertThatExceptionOfType(UnknownPoolException.class)
			.isThrownBy(() -> this.pools.allocate("red", "node-a", Family.IPV4, 1))
			.withMessageContaining("'red' does not exist; configured pools: blue, default");
		assertThatIllegalArgumentException().isThrownBy(() -> this.pools.allocate("blue", "node-a", Family.IPV6, 1))
			.withMessageContaining("pool 'blue' has no IPv6 CIDRs");
	}

	@Test
	void releaseAllFreesTheNodesBlocksInEveryPool() {
		this.pools.allocate("default", "node-a", Family.IPV4, 1);
		this.pools.allocate("blue", "node-a", Family.IPV4, 1);
		assertThat(this.pools.releaseAll("node-a")).hasSize(2);
		assertThat(this.pools.usages()).extracting(PoolUsage::blocksInUse).containsOnly(0L);
	}

	@Test
	void poolsOverlappingTheClusterPoolOrReusingItsNameAreRefused() {
		BlockAllocator allocator = new BlockAllocator(new InMemoryBlockStore());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MultiPool(List.of(Pool.of("x", List.of("10.0.5.0/24"), 26, null, 120)),
					List.of(this.cluster), allocator))
			.withMessageContaining("overlap");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MultiPool(List.of(Pool.of("cluster-pool", List.of("10.9.0.0/24"), 26, null, 120)),
					List.of(this.cluster), allocator))
			.withMessageContaining("reserved");
	}

}
