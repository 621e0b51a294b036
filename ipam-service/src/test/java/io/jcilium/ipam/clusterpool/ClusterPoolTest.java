package io.jcilium.ipam.clusterpool;

import java.util.List;

import io.jcilium.ipam.block.BlockAllocator;
import io.jcilium.ipam.block.BlockHeldException;
import io.jcilium.ipam.block.InMemoryBlockStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
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
	void claimedCidrsAreRecordedForTheirNodeAndNeverAllocatedToAnother() {
		// As after a wipe: node-b's CiliumNode says 10.0.0.0/24, the store knows nothing.
		assertThat(this.pool.claim("node-b", List.of("10.0.0.0/24", "fd00::/120"))).containsExactly("10.0.0.0/24",
				"fd00::/120");
		assertThat(this.pool.allocate("node-c")).containsExactly("10.0.1.0/24", "fd00::100/120");
		// Claiming again is harmless; claiming another node's CIDR changes nothing.
		assertThat(this.pool.claim("node-b", List.of("10.0.0.0/24"))).containsExactly("10.0.0.0/24", "fd00::/120");
		assertThatExceptionOfType(BlockHeldException.class)
			.isThrownBy(() -> this.pool.claim("node-x", List.of("10.0.1.0/24")))
			.satisfies((ex) -> assertThat(ex.heldByAnotherNode()).isTrue())
			.withMessageContaining("held by another node");
		assertThat(this.pool.podCidrs("node-x")).isEmpty();
		assertThatExceptionOfType(BlockHeldException.class)
			.isThrownBy(() -> this.pool.claim("node-c", List.of("10.0.9.0/24")))
			.satisfies((ex) -> assertThat(ex.heldByAnotherNode()).isFalse());
		assertThatIllegalArgumentException().isThrownBy(() -> this.pool.claim("node-d", List.of("172.16.0.0/24")))
			.withMessageContaining("no block of the cluster pool");
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
