package io.jcilium.ipam.multipool;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.ipam.IpamServiceApplication;
import io.jcilium.ipam.block.BlockAllocator;
import io.jcilium.ipam.block.BlockStore;
import io.jcilium.ipam.block.Family;
import io.jcilium.ipam.block.Pool;
import io.jcilium.ipam.block.RedisBlockStore;
import io.jcilium.testsupport.RedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ipam-service's scripts on a real Redis Cluster of three primaries. With a key prefix
 * that carries a hash tag every key lies in one slot, so a guarded claim (the pools hash
 * and the pool's block hashes together), a pool's definition and its deletion all run;
 * with the default prefix, which has none, the cluster refuses a pool's definition
 * (CROSSSLOT), which is why the service refuses that prefix on a cluster.
 */
class IpamOnRedisClusterIT {

	@RegisterExtension
	static final RedisCluster cluster = new RedisCluster();

	private final Pool clusterPool = Pool.of("cluster-pool", List.of("10.0.0.0/16"), 24, null, 120);

	private final List<LettuceConnectionFactory> connections = new ArrayList<>();

	@AfterEach
	void close() {
		this.connections.forEach(LettuceConnectionFactory::destroy);
	}

	@Test
	void poolsAndBlocksWorkOnAClusterWithAHashTaggedPrefix() {
		MultiPool one = replica("{jcilium:ipam}:");
		MultiPool two = replica("{jcilium:ipam}:");

		assertThat(one.upsert(Pool.of("green", List.of("10.30.0.0/24"), 26, null, 0))).isTrue();
		assertThat(two.allocate("green", "node-a", Family.IPV4, 1)).containsExactly("10.30.0.0/26");
		assertThat(one.allocate("green", "node-b", Family.IPV4, 1)).hasSize(1).doesNotContain("10.30.0.0/26");
		assertThat(one.blocksOf("node-a")).containsExactly(new NodeBlock("green", "node-a", "10.30.0.0/26"));
		one.releaseAll("node-a");
		two.releaseAll("node-b");
		assertThat(two.remove("green")).isTrue();
		assertThat(one.pools()).isEmpty();

		int slot = cluster.slot("{jcilium:ipam}");
		assertThat(cluster.keys()).isNotEmpty()
			.filteredOn((key) -> key.startsWith("{jcilium:ipam}"))
			.allSatisfy((key) -> assertThat(cluster.slot(key)).as(key).isEqualTo(slot));
	}

	@Test
	void theDefaultPrefixSpreadsAPoolsScriptOverSlots() {
		MultiPool untagged = replica("jcilium:ipam:");

		assertThatThrownBy(() -> untagged.upsert(Pool.of("blue", List.of("10.50.0.0/24"), 26, null, 0)))
			.hasStackTraceContaining("CROSSSLOT");
	}

	@Test
	void theServiceRefusesToStartOnAClusterWithAPrefixWithoutHashTag() {
		assertThatThrownBy(() -> start()).hasStackTraceContaining(
				"jcilium.ipam.store.key-prefix 'jcilium:ipam:' has no {hash tag}, so on Redis Cluster");
		try (ConfigurableApplicationContext service = start("--jcilium.ipam.store.key-prefix={jcilium:ipam}:")) {
			assertThat(service.isRunning()).isTrue();
		}
	}

	private static ConfigurableApplicationContext start(String... more) {
		List<String> args = new ArrayList<>(List.of("--spring.grpc.server.port=0", "--server.port=0",
				"--spring.main.cloud-platform=none", "--spring.data.redis.cluster.nodes=" + cluster.nodes()));
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(IpamServiceApplication.class).run(args.toArray(String[]::new));
	}

	private MultiPool replica(String prefix) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisClusterConfiguration(List.of(cluster.nodes().split(","))));
		factory.afterPropertiesSet();
		factory.start();
		this.connections.add(factory);
		BlockStore store = new RedisBlockStore(new StringRedisTemplate(factory), prefix);
		return new MultiPool(List.of(), List.of(this.clusterPool), new BlockAllocator(store), store);
	}

}
