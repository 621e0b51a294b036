package io.jcilium.ipam.block;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

/**
 * The Redis store against a real redis-server: many independent clients (each its own
 * connection, like separate ipam-service replicas) and restarts.
 */
class RedisBlockStoreIT {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final List<LettuceConnectionFactory> connections = new ArrayList<>();

	private final BlockSpace space = new BlockSpace("cluster-pool", Family.IPV4, List.of("10.0.0.0/16"), 24);

	@BeforeEach
	void flush() throws Exception {
		redis.flushAll();
	}

	@AfterEach
	void close() {
		this.connections.forEach(LettuceConnectionFactory::destroy);
	}

	@Test
	void eightClientsAllocatingConcurrentlyNeverShareABlock() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Map<String, String>>> results = new ArrayList<>();
			for (int c = 0; c < 8; c++) {
				BlockAllocator client = new BlockAllocator(newStore());
				Callable<Map<String, String>> work = () -> {
					Map<String, String> seen = new HashMap<>();
					// 8 clients x 30 nodes, every node requested by every client.
					for (int n = 0; n < 30; n++) {
						seen.put("node-" + n, client.ensure(this.space, "node-" + n, 1).get(0));
					}
					for (int n = 30; n < 40; n++) {
						String node = "node-" + n + "-" + seen.size() + "-" + Thread.currentThread().getId();
						seen.put(node, client.ensure(this.space, node, 1).get(0));
					}
					return seen;
				};
				results.add(pool.submit(work));
			}
			Map<String, String> owners = new HashMap<>();
			Map<String, String> cidrOf = new HashMap<>();
			for (Future<Map<String, String>> result : results) {
				for (Map.Entry<String, String> entry : result.get().entrySet()) {
					String previous = cidrOf.putIfAbsent(entry.getKey(), entry.getValue());
					assertThat(previous).as("node %s got one CIDR", entry.getKey()).isIn(null, entry.getValue());
					String owner = owners.putIfAbsent(entry.getValue(), entry.getKey());
					assertThat(owner).as("CIDR %s has one owner", entry.getValue()).isIn(null, entry.getKey());
				}
			}
			assertThat(cidrOf).hasSize(30 + 8 * 10);
			assertThat(new BlockAllocator(newStore()).inUse(this.space)).isEqualTo(30 + 8 * 10);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void stateSurvivesAServiceRestartAndARedisRestart() throws Exception {
		BlockAllocator before = new BlockAllocator(newStore());
		String a = before.ensure(this.space, "node-a", 1).get(0);
		String b = before.ensure(this.space, "node-b", 1).get(0);
		before.release(this.space, "node-a", a);
		close();
		this.connections.clear();

		redis.restart();

		BlockAllocator after = new BlockAllocator(newStore());
		assertThat(after.blocksOf(this.space, "node-b")).containsExactly(b);
		assertThat(after.blocksOf(this.space, "node-a")).isEmpty();
		assertThat(after.ensure(this.space, "node-c", 1)).as("cursor kept: freed block reused last")
			.doesNotContain(a, b);
	}

	@Test
	void exhaustionAndOwnerCheckedReleaseBehaveAsInMemory() {
		BlockSpace tiny = new BlockSpace("tiny", Family.IPV6, List.of("fd00::/119"), 120);
		BlockAllocator allocator = new BlockAllocator(newStore());
		String a = allocator.ensure(tiny, "node-a", 1).get(0);
		allocator.ensure(tiny, "node-b", 1);
		assertThatExceptionOfType(PoolExhaustedException.class).isThrownBy(() -> allocator.ensure(tiny, "node-c", 1))
			.withMessageContaining("IP pool 'tiny' is exhausted");
		assertThat(allocator.release(tiny, "node-b", a)).isFalse();
		assertThat(allocator.releaseAll(tiny, "node-a")).containsExactly(a);
		assertThat(allocator.ensure(tiny, "node-c", 1)).containsExactly(a);
	}

	private BlockStore newStore() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
		factory.afterPropertiesSet();
		factory.start();
		this.connections.add(factory);
		return new RedisBlockStore(new StringRedisTemplate(factory), "jcilium:ipam:");
	}

}
