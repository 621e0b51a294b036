package io.jcilium.ipam.clusterpool;

import java.util.List;

import io.jcilium.ipam.block.BlockAllocator;
import io.jcilium.ipam.block.InMemoryBlockStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClusterPoolTest {

	private final InMemoryBlockStore store = new InMemoryBlockStore();

	private final ClusterPool pool = new ClusterPool(
			new ClusterPoolProperties(List.of("10.0.0.0/8"), 24, List.of("fd00::/104"), 120),
			new BlockAllocator(this.store));

	@Test
	void eachNodeGetsOnePodCidrPerFamilyAndKeepsIt() {
		assertThat(this.pool.allocate("node-a")).containsExactly("10.0.0.0/24", "fd00::/120");
		assertThat(this.pool.allocate("node-b")).containsExactly("10.0.1.0/24", "fd00::100/120");
		assertThat(this.pool.allocate("node-a")).containsExactly("10.0.0.0/24", "fd00::/120");
		assertThat(this.pool.podCidrs("node-b")).containsExactly("10.0.1.0/24", "fd00::100/120");
	}

	@Test
	void aNewInstanceOverTheSameStoreSeesTheSameCidrs() {
		List<String> before = this.pool.allocate("node-a");
		ClusterPool restarted = new ClusterPool(
				new ClusterPoolProperties(List.of("10.0.0.0/8"), 24, List.of("fd00::/104"), 120),
				new BlockAllocator(this.store));
		assertThat(restarted.allocate("node-a")).isEqualTo(before);
		assertThat(restarted.allocate("node-b")).doesNotContainAnyElementsOf(before);
	}

	@Test
	void releasingANodeFreesItsCidrs() {
		this.pool.allocate("node-a");
		assertThat(this.pool.release("node-a")).containsExactly("10.0.0.0/24", "fd00::/120");
		assertThat(this.pool.podCidrs("node-a")).isEmpty();
		assertThat(this.pool.usage().blocksInUse()).isZero();
	}

	@Test
	void ipv4OnlyByDefaultShape() {
		ClusterPool v4 = new ClusterPool(new ClusterPoolProperties(List.of("10.0.0.0/8"), 24, null, 120),
				new BlockAllocator(new InMemoryBlockStore()));
		assertThat(v4.allocate("node-a")).containsExactly("10.0.0.0/24");
		assertThat(v4.usage().ipv6MaskSize()).isZero();
	}

	@Test
	void badConfigurationFailsWithTheReason() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ClusterPool(new ClusterPoolProperties(List.of("10.0.0.0/8"), 4, null, 120),
					new BlockAllocator(this.store)))
			.withMessageContaining("pool 'cluster-pool'")
			.withMessageContaining("mask size must be between 8 and 32");
	}

}
