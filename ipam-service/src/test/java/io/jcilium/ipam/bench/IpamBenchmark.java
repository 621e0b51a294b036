package io.jcilium.ipam.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.jcilium.ipam.block.BlockAllocator;
import io.jcilium.ipam.block.InMemoryBlockStore;
import io.jcilium.ipam.block.RedisBlockStore;
import io.jcilium.ipam.clusterpool.ClusterPool;
import io.jcilium.ipam.clusterpool.ClusterPoolProperties;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * bench/ipam: node CIDR allocations per second against a real Redis (1 and 8 clients);
 * the agent's pod IP allocator has its own {@code PodIpBenchmark} in agent-service. Each
 * figure is printed with a baseline measured in the same run (Redis PING round trips),
 * because this machine is shared and noisy. Run through {@code bench/ipam/run.sh}, which
 * starts and removes the Redis it uses.
 */
public final class IpamBenchmark {

	private static final int NODES = 8000;

	private IpamBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		List<LettuceConnectionFactory> connections = new ArrayList<>();
		try {
			nodeCidrs(port, connections);
		}
		finally {
			connections.forEach(LettuceConnectionFactory::destroy);
		}
	}

	private static void nodeCidrs(int port, List<LettuceConnectionFactory> connections) throws Exception {
		StringRedisTemplate baseline = template(port, connections);
		pingsPerSecond(baseline);
		double pingsPerSecond = pingsPerSecond(baseline);
		report("redis PING round trips/s (baseline, 1 client)", pingsPerSecond, pingsPerSecond);

		ClusterPoolProperties v4 = new ClusterPoolProperties(List.of("10.0.0.0/8"), 24, null, 120);
		ClusterPool memory = new ClusterPool(v4, new BlockAllocator(new InMemoryBlockStore()));
		long start = System.nanoTime();
		for (int n = 0; n < NODES; n++) {
			memory.allocate("node-" + n);
		}
		report("node CIDR allocations/s, in-memory store", NODES / seconds(start), pingsPerSecond);

		ClusterPool warm = new ClusterPool(v4, new BlockAllocator(store(port, connections, "warm:")));
		for (int n = 0; n < 1000; n++) {
			warm.allocate("node-" + n);
		}
		ClusterPool one = new ClusterPool(v4, new BlockAllocator(store(port, connections, "one:")));
		start = System.nanoTime();
		for (int n = 0; n < NODES; n++) {
			one.allocate("node-" + n);
		}
		double oneClient = NODES / seconds(start);
		// Measured again: on a shared machine the load changes between phases.
		pingsPerSecond = pingsPerSecond(baseline);
		report("redis PING round trips/s (baseline again)", pingsPerSecond, pingsPerSecond);
		report("node CIDR allocations/s, Redis, 1 client", oneClient, pingsPerSecond);

		start = System.nanoTime();
		for (int n = 0; n < NODES; n++) {
			one.allocate("node-" + n);
		}
		report("repeated AllocateNodeCidrs (already held)/s, Redis, 1 client", NODES / seconds(start), pingsPerSecond);

		ExecutorService clients = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> done = new ArrayList<>();
			start = System.nanoTime();
			for (int c = 0; c < 8; c++) {
				ClusterPool client = new ClusterPool(v4, new BlockAllocator(store(port, connections, "eight:")));
				int id = c;
				done.add(clients.submit(() -> {
					for (int n = id; n < NODES; n += 8) {
						client.allocate("node-" + n);
					}
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
			report("node CIDR allocations/s, Redis, 8 clients", NODES / seconds(start), pingsPerSecond);
		}
		finally {
			clients.shutdownNow();
		}
	}

	private static double pingsPerSecond(StringRedisTemplate redis) {
		int pings = 5000;
		long start = System.nanoTime();
		for (int i = 0; i < pings; i++) {
			redis.execute((RedisCallback<String>) (c) -> c.ping());
		}
		return pings / seconds(start);
	}

	private static StringRedisTemplate template(int port, List<LettuceConnectionFactory> connections) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port));
		factory.afterPropertiesSet();
		factory.start();
		connections.add(factory);
		return new StringRedisTemplate(factory);
	}

	private static RedisBlockStore store(int port, List<LettuceConnectionFactory> connections, String prefix) {
		return new RedisBlockStore(template(port, connections), "bench:" + prefix);
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private static void report(String what, double perSecond, double baseline) {
		System.out.printf("%-62s %12.0f  (x%.3f of baseline)%n", what, perSecond, perSecond / baseline);
	}

}
