package io.jcilium.ipam.block;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BlockAllocatorTest {

	private final BlockAllocator allocator = new BlockAllocator(new InMemoryBlockStore());

	private final BlockSpace space = new BlockSpace("default", Family.IPV4, List.of("10.0.0.0/22"), 24);

	@Test
	void eachNodeGetsItsOwnBlockAndKeepsIt() {
		assertThat(this.allocator.ensure(this.space, "node-a", 1)).containsExactly("10.0.0.0/24");
		assertThat(this.allocator.ensure(this.space, "node-b", 1)).containsExactly("10.0.1.0/24");
		assertThat(this.allocator.ensure(this.space, "node-a", 1)).as("idempotent").containsExactly("10.0.0.0/24");
		assertThat(this.allocator.inUse(this.space)).isEqualTo(2);
	}

	@Test
	void growsANodeToTheRequestedCountOnly() {
		assertThat(this.allocator.ensure(this.space, "node-a", 2)).containsExactly("10.0.0.0/24", "10.0.1.0/24");
		assertThat(this.allocator.ensure(this.space, "node-a", 2)).hasSize(2);
		assertThat(this.allocator.ensure(this.space, "node-a", 1)).hasSize(2);
	}

	@Test
	void exhaustionNamesThePoolAndItsCidrs() {
		for (int i = 0; i < 4; i++) {
			this.allocator.ensure(this.space, "node-" + i, 1);
		}
		assertThatExceptionOfType(PoolExhaustedException.class)
			.isThrownBy(() -> this.allocator.ensure(this.space, "node-4", 1))
			.withMessageContaining("IP pool 'default' is exhausted")
			.withMessageContaining("all 4 IPv4 blocks of 10.0.0.0/22 in /24 blocks");
		assertThat(this.allocator.ensure(this.space, "node-0", 1)).as("holders still answered").hasSize(1);
	}

	@Test
	void releasedBlocksAreReusedLastAndOnlyTheOwnerCanRelease() {
		String first = this.allocator.ensure(this.space, "node-a", 1).get(0);
		assertThat(this.allocator.release(this.space, "node-b", first)).isFalse();
		assertThat(this.allocator.release(this.space, "node-a", first)).isTrue();
		assertThat(this.allocator.release(this.space, "node-a", first)).isFalse();
		assertThat(this.allocator.ensure(this.space, "node-b", 1)).containsExactly("10.0.1.0/24");
		this.allocator.ensure(this.space, "node-c", 1);
		this.allocator.ensure(this.space, "node-d", 1);
		assertThat(this.allocator.ensure(this.space, "node-e", 1)).as("wraps around to the freed block")
			.containsExactly(first);
	}

	@Test
	void releaseAllFreesEveryBlockOfTheNode() {
		this.allocator.ensure(this.space, "node-a", 3);
		assertThat(this.allocator.releaseAll(this.space, "node-a")).hasSize(3);
		assertThat(this.allocator.blocksOf(this.space, "node-a")).isEmpty();
		assertThat(this.allocator.inUse(this.space)).isZero();
		assertThat(this.allocator.releaseAll(this.space, "node-a")).isEmpty();
	}

	@Test
	void rejectsInvalidNodeNamesAndCounts() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.allocator.ensure(this.space, "", 1))
			.withMessageContaining("node name is missing");
		assertThatIllegalArgumentException().isThrownBy(() -> this.allocator.ensure(this.space, "Node_A", 1))
			.withMessageContaining("not a valid Kubernetes node name");
		assertThatIllegalArgumentException().isThrownBy(() -> this.allocator.ensure(this.space, "node-a", 0))
			.withMessageContaining("at least 1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.allocator.release(this.space, "node-a", "10.0.0.1/24"))
			.withMessageContaining("host bits");
	}

	@Test
	void concurrentRequestsNeverShareABlock() throws Exception {
		BlockSpace big = new BlockSpace("default", Family.IPV6, List.of("fd00::/104"), 120);
		ExecutorService clients = Executors.newFixedThreadPool(8);
		try {
			List<Future<List<String>>> results = new ArrayList<>();
			for (int c = 0; c < 8; c++) {
				results.add(clients.submit(() -> {
					List<String> mine = new ArrayList<>();
					for (int n = 0; n < 200; n++) {
						// Every client asks for the same 200 nodes: each node must end up
						// with one block.
						mine.addAll(this.allocator.ensure(big, "node-" + n, 1));
					}
					return mine;
				}));
			}
			Set<String> distinct = new HashSet<>();
			for (Future<List<String>> result : results) {
				distinct.addAll(result.get());
			}
			assertThat(distinct).hasSize(200);
			assertThat(this.allocator.inUse(big)).isEqualTo(200);
		}
		finally {
			clients.shutdownNow();
		}
	}

}
