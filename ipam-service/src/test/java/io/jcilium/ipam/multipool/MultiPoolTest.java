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

	private final InMemoryBlockStore store = new InMemoryBlockStore();

	private final List<Pool> configured = List.of(
			Pool.of("default", List.of("10.10.0.0/24"), 26, List.of("fd00:10::/112"), 120),
			Pool.of("blue", List.of("10.20.0.0/25"), 26, null, 120));

	private final MultiPool pools = replica();

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
		BlockAllocator allocator = new BlockAllocator(this.store);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MultiPool(List.of(Pool.of("x", List.of("10.0.5.0/24"), 26, null, 120)),
					List.of(this.cluster), allocator, this.store))
			.withMessageContaining("overlap");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MultiPool(List.of(Pool.of("cluster-pool", List.of("10.9.0.0/24"), 26, null, 120)),
					List.of(this.cluster), allocator, this.store))
			.withMessageContaining("reserved");
	}

	@Test
	void poolsFromTheApiAreAddedReplacedAndDeleted() {
		assertThat(this.pools.upsert(Pool.of("green", List.of("10.30.0.0/24"), 26, null, 0))).isTrue();
		assertThat(this.pools.upsert(Pool.of("green", List.of("10.30.0.0/24"), 26, null, 0))).isFalse();
		assertThat(this.pools.allocate("green", "node-a", Family.IPV4, 1)).containsExactly("10.30.0.0/26");
		assertThat(this.pools.upsert(Pool.of("green", List.of("10.30.0.0/24", "10.31.0.0/24"), 26, null, 0))).isTrue();
		assertThat(this.pools.blocksOf("node-a")).extracting(NodeBlock::cidr).containsExactly("10.30.0.0/26");
		assertThat(this.pools.nodes()).containsExactly("node-a");
		assertThat(this.pools.isConfigured("green")).isFalse();
		assertThat(this.pools.isConfigured("blue")).isTrue();
	}

	@Test
	void anInvalidPoolIsRefusedAndThePoolInForceStays() {
		this.pools.upsert(Pool.of("green", List.of("10.30.0.0/24"), 26, null, 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.pools.upsert(Pool.of("green", List.of("10.20.0.0/24"), 26, null, 0)))
			.withMessageContaining("IP pools overlap")
			.withMessageContaining("pool 'blue'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.pools.upsert(Pool.of("red", List.of("10.0.5.0/24"), 26, null, 0)))
			.withMessageContaining("pool 'cluster-pool'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.pools.upsert(Pool.of("blue", List.of("10.99.0.0/24"), 26, null, 0)))
			.withMessageContaining("defined in ipam-service's configuration");
		assertThat(this.pools.pools()).extracting(Pool::name).containsExactly("blue", "default", "green");
		assertThat(this.pools.allocate("green", "node-a", Family.IPV4, 1)).containsExactly("10.30.0.0/26");
	}

	@Test
	void theMaskSizeIsFixedWhileBlocksAreHeld() {
		this.pools.upsert(Pool.of("green", List.of("10.30.0.0/24"), 26, null, 0));
		this.pools.allocate("green", "node-a", Family.IPV4, 1);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.pools.upsert(Pool.of("green", List.of("10.30.0.0/24"), 25, null, 0)))
			.withMessageContaining("mask size cannot change from /26 to /25 while 1 blocks are allocated");
		this.pools.releaseAll("node-a");
		assertThat(this.pools.upsert(Pool.of("green", List.of("10.30.0.0/24"), 25, null, 0))).isTrue();
	}

	@Test
	void theMaskSizeHeldInTheStoreIsCheckedAfterARestart() {
		this.pools.upsert(Pool.of("green", List.of("10.30.0.0/24"), 26, null, 0));
		this.pools.allocate("green", "node-a", Family.IPV4, 1);
		MultiPool restarted = replica();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> restarted.upsert(Pool.of("green", List.of("10.30.0.0/24"), 25, null, 0)))
			.withMessageContaining("cannot change from /26 to /25");
		assertThat(restarted.upsert(Pool.of("green", List.of("10.30.0.0/24"), 26, null, 0))).as("kept").isFalse();
		assertThat(restarted.blocksOf("node-a")).extracting(NodeBlock::cidr).containsExactly("10.30.0.0/26");
	}

	@Test
	void aPoolInUseIsNotDeleted() {
		this.pools.upsert(Pool.of("green", List.of("10.30.0.0/24"), 26, null, 0));
		this.pools.allocate("green", "node-a", Family.IPV4, 1);
		assertThatExceptionOfType(PoolInUseException.class).isThrownBy(() -> this.pools.remove("green"))
			.withMessageContaining("'green' still has 1 blocks allocated");
		this.pools.releaseAll("node-a");
		assertThat(this.pools.remove("green")).isTrue();
		assertThat(this.pools.remove("green")).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> this.pools.remove("default"))
			.withMessageContaining("cannot be deleted through the API");
	}

	@Test
	void aPoolDefinedOnOneReplicaServesAnotherAndSurvivesARestart() {
		MultiPool other = replica();
		this.pools.upsert(Pool.of("green", List.of("10.30.0.0/24"), 26, null, 0));
		assertThat(other.allocate("green", "node-a", Family.IPV4, 1)).containsExactly("10.30.0.0/26");
		assertThat(this.pools.blocksOf("node-a")).extracting(NodeBlock::cidr).containsExactly("10.30.0.0/26");
		assertThat(replica().pools()).extracting(Pool::name).containsExactly("blue", "default", "green");
		assertThatExceptionOfType(PoolInUseException.class).isThrownBy(() -> other.remove("green"))
			.withMessageContaining("'green' still has 1 blocks allocated");
	}

	@Test
	void aPoolDeletedOrRedefinedByAnotherReplicaIsNeverAllocatedFromAsItWas() {
		MultiPool other = replica();
		this.pools.upsert(Pool.of("green", List.of("10.30.0.0/24"), 26, null, 0));
		this.pools.upsert(Pool.of("violet", List.of("10.50.0.0/24"), 26, null, 0));
		// This replica reads the pools; then the other one changes them behind its back.
		this.pools.allocate("violet", "node-z", Family.IPV4, 1);
		this.pools.releaseAll("node-z");
		other.upsert(Pool.of("green", List.of("10.40.0.0/24"), 26, null, 0));
		assertThat(other.remove("violet")).isTrue();
		assertThat(this.pools.allocate("green", "node-a", Family.IPV4, 1)).containsExactly("10.40.0.0/26");
		assertThatExceptionOfType(UnknownPoolException.class)
			.isThrownBy(() -> this.pools.allocate("violet", "node-a", Family.IPV4, 1))
			.withMessageContaining("'violet' does not exist");
		assertThat(this.store.inUse("violet:ipv4")).isZero();
	}

	private MultiPool replica() {
		return new MultiPool(this.configured, List.of(this.cluster), new BlockAllocator(this.store), this.store);
	}

}
