package io.jcilium.agent.ipam;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolBlocksTest {

	private final AtomicInteger demandChanges = new AtomicInteger();

	private final PoolBlocks blocks = new PoolBlocks(Map.of("default", 2), this.demandChanges::incrementAndGet);

	@Test
	void eachPodGetsItsAddressFromTheBlockOfThePoolItNames() throws Exception {
		this.blocks.update(Map.of("default", List.of("10.10.0.0/28"), "blue", List.of("10.20.0.0/28")));

		PodIpAllocation web = this.blocks.allocate(owner("web"), null, "default");
		PodIpAllocation db = this.blocks.allocate(owner("db"), null, "blue");

		assertThat(web.ip()).isEqualTo(InetAddress.getByName("10.10.0.2"));
		assertThat(db.ip()).isEqualTo(InetAddress.getByName("10.20.0.2"));
		// A retried ADD gets the address it holds, whichever pool it names now.
		assertThat(this.blocks.allocate(owner("db"), null, "default")).isEqualTo(db);
	}

	@Test
	void aPoolWithoutABlockOnThisNodeRefusesWithTheReasonAndIsRequested() {
		this.blocks.update(Map.of("default", List.of("10.10.0.0/28")));

		assertThatThrownBy(() -> this.blocks.allocate(owner("db"), null, "green"))
			.isInstanceOf(NoPoolCapacityException.class)
			.hasMessageContaining("pool 'green' has no free address on this node (0 blocks)")
			.hasMessageContaining("spec.ipam.pools");
		// A pool nobody waits for is not requested; default is pre-allocated.
		assertThat(this.blocks.requested()).containsOnlyKeys("default");
	}

	@Test
	void aWaitingPodIsRequestedAndGetsItsAddressWhenTheBlockArrives() throws Exception {
		this.blocks.update(Map.of());
		CompletableFuture<PodIpAllocation> waiting = CompletableFuture
			.supplyAsync(() -> this.blocks.allocate(owner("db"), null, "green", Duration.ofSeconds(60)));
		while (!this.blocks.requested().containsKey("green")) {
			Thread.sleep(10);
		}
		assertThat(this.blocks.requested()).containsEntry("green", 1);

		this.blocks.update(Map.of("green", List.of("10.30.0.0/28")));

		assertThat(waiting.get(60, TimeUnit.SECONDS).ip()).isEqualTo(InetAddress.getByName("10.30.0.2"));
	}

	@Test
	void aWaitingPodThatGetsNoBlockFailsWithTheReasonAndIsNoLongerRequested() {
		this.blocks.update(Map.of("default", List.of("10.10.0.0/28")));

		assertThatThrownBy(() -> this.blocks.allocate(owner("db"), null, "green", Duration.ofMillis(200)))
			.isInstanceOf(NoPoolCapacityException.class)
			.hasMessageContaining("pool 'green' has no free address on this node (0 blocks)");
		assertThat(this.blocks.requested()).containsOnlyKeys("default");
	}

	/**
	 * The node's job gives back the blocks it does not need whenever the demand changes.
	 * A pod waiting for its pool's first block must take its address before that job can
	 * see the block as empty and unneeded (MultiPoolIT lost the block this way under
	 * load: the wait ended, the job gave the block back, and the pod's next try found
	 * none).
	 */
	@Test
	void aBlockThatArrivesForAWaitingPodIsNotGivenBackBeforeThePodHasItsAddress() throws Exception {
		this.blocks.update(Map.of("default", List.of("10.10.0.0/28")));
		CompletableFuture<PodIpAllocation> waiting = CompletableFuture
			.supplyAsync(() -> this.blocks.allocate(owner("db"), null, "green", Duration.ofSeconds(60)));
		while (!this.blocks.requested().containsKey("green")) {
			Thread.sleep(10);
		}
		Set<String> givenBack = ConcurrentHashMap.newKeySet();
		AtomicBoolean stop = new AtomicBoolean();
		Thread job = new Thread(() -> {
			while (!stop.get()) {
				givenBack.addAll(this.blocks.returnUnused());
			}
		});
		job.start();
		try {
			this.blocks.update(Map.of("default", List.of("10.10.0.0/28"), "green", List.of("10.30.0.0/28")));

			assertThat(waiting.get(60, TimeUnit.SECONDS).ip()).isEqualTo(InetAddress.getByName("10.30.0.2"));
		}
		finally {
			stop.set(true);
			job.join();
		}
		assertThat(givenBack).isEmpty();
	}

	@Test
	void requestsRoundUpToTheBlocksThePodsReallyNeed() {
		// A /28 gives pods 13 addresses (network, first and last are reserved).
		this.blocks.update(Map.of("default", List.of("10.10.0.0/28")));
		for (int i = 0; i < 12; i++) {
			this.blocks.allocate(owner("pod-" + i), null, "default");
		}

		// 12 in use + 2 pre-allocated = 14 > 13: two blocks of 16, written as 32
		// addresses.
		assertThat(this.blocks.requested()).containsEntry("default", 32);
	}

	@Test
	void givesBackEmptyBlocksItDoesNotNeedAndNeverUsesThemAgainUntilTheyAreGone() throws Exception {
		this.blocks
			.update(Map.of("default", List.of("10.10.0.0/28", "10.10.0.16/28"), "blue", List.of("10.20.0.0/28")));
		PodIpAllocation db = this.blocks.allocate(owner("db"), null, "blue");

		// blue is in use, default keeps one block for its pre-allocation.
		assertThat(this.blocks.returnUnused()).containsExactly("10.10.0.16/28");

		this.blocks.release(db.owner());
		assertThat(this.blocks.requested()).containsOnlyKeys("default");
		assertThat(this.blocks.returnUnused()).containsExactlyInAnyOrder("10.10.0.16/28", "10.20.0.0/28");
		// Still listed until the CiliumNode is written: not taken back.
		this.blocks
			.update(Map.of("default", List.of("10.10.0.0/28", "10.10.0.16/28"), "blue", List.of("10.20.0.0/28")));
		assertThatThrownBy(() -> this.blocks.allocate(owner("db2"), null, "blue"))
			.isInstanceOf(NoPoolCapacityException.class);
		// Gone from the CiliumNode: forgotten, and a later allocation of it is new.
		this.blocks.update(Map.of("default", List.of("10.10.0.0/28")));
		assertThat(this.blocks.returnUnused()).isEmpty();
		this.blocks.update(Map.of("default", List.of("10.10.0.0/28"), "blue", List.of("10.20.0.0/28")));
		assertThat(this.blocks.allocate(owner("db2"), null, "blue").ip()).isEqualTo(InetAddress.getByName("10.20.0.2"));
	}

	@Test
	void givesNothingBackWhileAPoolStillWaitsForABlock() {
		this.blocks.update(Map.of("default", List.of("10.10.0.0/28"), "blue", List.of("10.20.0.0/28")));
		CompletableFuture.supplyAsync(() -> this.blocks.allocate(owner("db"), null, "green", Duration.ofSeconds(2)));
		while (!this.blocks.requested().containsKey("green")) {
			Thread.onSpinWait();
		}

		assertThat(this.blocks.returnUnused()).isEmpty();
	}

	@Test
	void restoredAddressesStayHeldUntilTheirBlockIsKnownThenMoveIntoIt() throws Exception {
		PodIpAllocation db = new PodIpAllocation(InetAddress.getByName("10.20.0.9"), owner("db"));
		RestoreResult result = this.blocks.restore(List.of(db));
		assertThat(result.restored()).containsExactly(db);
		assertThat(this.blocks.allocations()).containsExactly(db);

		this.blocks.update(Map.of("blue", List.of("10.20.0.0/28")));

		assertThat(this.blocks.ownerOf(db.ip())).contains(owner("db"));
		assertThat(this.blocks.requested()).containsEntry("blue", 16);
		assertThat(this.blocks.returnUnused()).doesNotContain("10.20.0.0/28");
		// Nothing else in the block gets its address.
		for (int i = 0; i < 12; i++) {
			assertThat(this.blocks.allocate(owner("pod-" + i), null, "blue").ip()).isNotEqualTo(db.ip());
		}
	}

	@Test
	void aBlockTheOperatorTookAwayKeepsItsPodsAndIsReported() throws Exception {
		this.blocks.update(Map.of("blue", List.of("10.20.0.0/28")));
		this.blocks.allocate(owner("db"), null, "blue");

		List<String> problems = this.blocks.update(Map.of());

		assertThat(problems).singleElement().asString().contains("10.20.0.0/28").contains("keep their addresses");
		assertThat(this.blocks.ownerOf(InetAddress.getByName("10.20.0.2"))).contains(owner("db"));
		assertThat(this.demandChanges.get()).isPositive();
		// It may be another node's now: no new pod gets an address from it.
		assertThatThrownBy(() -> this.blocks.allocate(owner("web"), null, "blue"))
			.isInstanceOf(NoPoolCapacityException.class)
			.hasMessageContaining("(0 blocks)");
		assertThat(Set.copyOf(this.blocks.requested().keySet())).containsExactly("default");
		this.blocks.release(owner("db"));
		assertThat(this.blocks.describe()).doesNotContain("10.20.0.0/28");
	}

	private static PodIpOwner owner(String container) {
		return new PodIpOwner(container, "eth0");
	}

}
