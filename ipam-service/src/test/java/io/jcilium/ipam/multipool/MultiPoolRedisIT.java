package io.jcilium.ipam.multipool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.jcilium.ipam.block.BlockAllocator;
import io.jcilium.ipam.block.BlockStore;
import io.jcilium.ipam.block.Family;
import io.jcilium.ipam.block.Pool;
import io.jcilium.ipam.block.RedisBlockStore;
import io.jcilium.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * API-defined pools kept in a real redis-server, seen by several ipam-service replicas
 * (each a {@link MultiPool} on its own connection) and by a restarted one.
 */
class MultiPoolRedisIT {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final Pool cluster = Pool.of("cluster-pool", List.of("10.0.0.0/16"), 24, null, 120);

	private final List<LettuceConnectionFactory> connections = new ArrayList<>();

	@BeforeEach
	void flush() throws Exception {
		redis.flushAll();
	}

	@AfterEach
	void close() {
		this.connections.forEach(LettuceConnectionFactory::destroy);
	}

	@Test
	void aPoolDefinedOnOneReplicaIsServedByAnotherAndKeptAcrossRestarts() throws Exception {
		MultiPool one = replica();
		MultiPool two = replica();
		assertThat(one.upsert(Pool.of("green", List.of("10.30.0.0/24"), 26, null, 0))).isTrue();
		assertThat(two.allocate("green", "node-a", Family.IPV4, 1)).containsExactly("10.30.0.0/26");
		assertThat(one.blocksOf("node-a")).containsExactly(new NodeBlock("green", "node-a", "10.30.0.0/26"));
		redis.restart();
		MultiPool restarted = replica();
		assertThat(restarted.pools()).extracting(Pool::name).containsExactly("green");
		assertThat(restarted.allocate("green", "node-a", Family.IPV4, 1)).containsExactly("10.30.0.0/26");
		assertThatExceptionOfType(PoolInUseException.class).isThrownBy(() -> restarted.remove("green"))
			.withMessage("IP pool 'green' still has 1 blocks allocated to nodes; it is deleted once the nodes"
					+ " release them");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> two.upsert(Pool.of("green", List.of("10.30.0.0/24"), 27, null, 0)))
			.withMessageContaining("cannot change from /26 to /27");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> two.upsert(Pool.of("blue", List.of("10.30.0.128/25"), 26, null, 0)))
			.withMessageContaining("IP pools overlap");
		one.releaseAll("node-a");
		assertThat(two.remove("green")).isTrue();
		assertThat(one.pools()).isEmpty();
		MultiPool fresh = replica();
		fresh.upsert(Pool.of("green", List.of("10.30.0.0/24"), 26, null, 0));
		assertThat(fresh.allocate("green", "node-b", Family.IPV4, 1)).as("a pool created again starts afresh")
			.containsExactly("10.30.0.0/26");
	}

	/**
	 * One replica allocates while another deletes the pool, many times over: whoever
	 * wins, a deleted pool never leaves a block behind, and a pool with blocks is never
	 * deleted.
	 */
	@Test
	void aPoolDeletedWhileAnotherReplicaAllocatesNeverLeavesABlockBehind() throws Exception {
		MultiPool definer = replica();
		MultiPool allocating = replica();
		MultiPool deleting = replica();
		BlockStore probe = store();
		ExecutorService threads = Executors.newFixedThreadPool(2);
		int deletedFirst = 0;
		int allocatedFirst = 0;
		try {
			for (int round = 0; round < 40; round++) {
				String node = "node-" + round;
				definer.upsert(Pool.of("race", List.of("10.40.0.0/24"), 26, null, 0));
				// The allocating replica knows the pool before the race starts.
				allocating.allocate("race", "warm-up", Family.IPV4, 1);
				allocating.releaseAll("warm-up");
				CountDownLatch go = new CountDownLatch(1);
				CompletableFuture<Boolean> allocated = CompletableFuture.supplyAsync(() -> {
					await(go);
					try {
						return !allocating.allocate("race", node, Family.IPV4, 1).isEmpty();
					}
					catch (UnknownPoolException ex) {
						return false;
					}
				}, threads);
				CompletableFuture<Boolean> deleted = CompletableFuture.supplyAsync(() -> {
					await(go);
					try {
						return deleting.remove("race");
					}
					catch (PoolInUseException ex) {
						return false;
					}
				}, threads);
				go.countDown();
				boolean gotBlock = allocated.get(10, TimeUnit.SECONDS);
				boolean poolGone = deleted.get(10, TimeUnit.SECONDS);
				assertThat(gotBlock && poolGone).as("round %d: a block and a deletion both won", round).isFalse();
				if (poolGone) {
					deletedFirst++;
					assertThat(probe.poolDefinitions().definitions()).doesNotContainKey("race");
					assertThat(probe.inUse(BlockAllocator.key("race", Family.IPV4))).isZero();
				}
				else {
					allocatedFirst++;
					assertThat(definer.blocksOf(node)).hasSize(1);
					definer.releaseAll(node);
					assertThat(definer.remove("race")).isTrue();
				}
			}
		}
		finally {
			threads.shutdownNow();
		}
		// Both outcomes happen on a loaded machine; report them for the record.
		System.out.printf("pool delete/allocate race: deletion won %d rounds, allocation won %d%n", deletedFirst,
				allocatedFirst);
	}

	private MultiPool replica() {
		BlockStore store = store();
		return new MultiPool(List.of(), List.of(this.cluster), new BlockAllocator(store), store);
	}

	private BlockStore store() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
		factory.afterPropertiesSet();
		factory.start();
		this.connections.add(factory);
		return new RedisBlockStore(new StringRedisTemplate(factory), "jcilium:ipam:");
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
