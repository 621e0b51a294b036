package io.jcilium.ipam.grpc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.ipam.v1.AllocateNodeCidrsRequest;
import io.jcilium.api.ipam.v1.AllocatePoolBlockRequest;
import io.jcilium.api.ipam.v1.DeletePoolRequest;
import io.jcilium.api.ipam.v1.GetNodeCidrsRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.ipam.v1.IpamServiceGrpc.IpamServiceBlockingStub;
import io.jcilium.api.ipam.v1.ListAllocatedNodesRequest;
import io.jcilium.api.ipam.v1.ListPoolsRequest;
import io.jcilium.api.ipam.v1.NodeCidrs;
import io.jcilium.api.ipam.v1.Pool;
import io.jcilium.api.ipam.v1.PoolBlock;
import io.jcilium.api.ipam.v1.ReleaseNodeCidrsRequest;
import io.jcilium.api.ipam.v1.ReleasePoolBlockRequest;
import io.jcilium.api.ipam.v1.UpsertPoolRequest;
import io.jcilium.ipam.IpamServiceApplication;
import io.jcilium.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The whole service over gRPC with a real redis-server: many clients at once, a second
 * instance (a restart or another replica) seeing the same state, and the status codes a
 * client gets for bad input and exhausted pools.
 */
@SpringBootTest(properties = { "spring.grpc.server.port=0", "server.port=0", "spring.data.redis.host=127.0.0.1",
		"jcilium.ipam.cluster-pool.ipv4-cidrs=10.0.0.0/16", "jcilium.ipam.cluster-pool.ipv4-mask-size=24",
		"jcilium.ipam.cluster-pool.ipv6-cidrs=fd00::/104", "jcilium.ipam.cluster-pool.ipv6-mask-size=120",
		"jcilium.ipam.multi-pool.pools.default.ipv4-cidrs=10.100.0.0/24",
		"jcilium.ipam.multi-pool.pools.default.ipv4-mask-size=26",
		"jcilium.ipam.multi-pool.pools.tiny.ipv4-cidrs=10.101.0.0/26",
		"jcilium.ipam.multi-pool.pools.tiny.ipv4-mask-size=26" })
class IpamGrpcServiceIT {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@LocalGrpcPort
	int port;

	private final List<ManagedChannel> channels = new ArrayList<>();

	@DynamicPropertySource
	static void redisPort(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", redis::port);
	}

	@AfterEach
	void closeChannels() throws InterruptedException {
		for (ManagedChannel channel : this.channels) {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void eightConcurrentClientsGetUniquePodCidrsAndOneAnswerPerNode() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<List<NodeCidrs>>> results = new ArrayList<>();
			for (int c = 0; c < 8; c++) {
				IpamServiceBlockingStub client = client(this.port);
				int id = c;
				results.add(pool.submit(() -> {
					List<NodeCidrs> answers = new ArrayList<>();
					for (int n = 0; n < 10; n++) {
						answers.add(allocate(client, "shared-" + n));
						answers.add(allocate(client, "own-" + id + "-" + n));
					}
					return answers;
				}));
			}
			Map<String, List<String>> cidrsByNode = new HashMap<>();
			Map<String, String> nodeByCidr = new HashMap<>();
			for (Future<List<NodeCidrs>> result : results) {
				for (NodeCidrs answer : result.get()) {
					assertThat(answer.getPodCidrsList()).hasSize(2);
					List<String> previous = cidrsByNode.putIfAbsent(answer.getNode(), answer.getPodCidrsList());
					assertThat(previous).as("one answer for %s", answer.getNode()).isIn(null, answer.getPodCidrsList());
					for (String cidr : answer.getPodCidrsList()) {
						assertThat(nodeByCidr.putIfAbsent(cidr, answer.getNode())).as("one owner of %s", cidr)
							.isIn(null, answer.getNode());
					}
				}
			}
			assertThat(cidrsByNode).hasSize(10 + 8 * 10);
			assertThat(nodeByCidr).hasSize(2 * (10 + 8 * 10));
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void anotherInstanceOverTheSameRedisSeesTheSameState() {
		IpamServiceBlockingStub first = client(this.port);
		NodeCidrs before = allocate(first, "restart-node");
		first.upsertPool(UpsertPoolRequest.newBuilder()
			.setName("shared-pool")
			.addIpv4Cidrs("10.130.0.0/24")
			.setIpv4MaskSize(26)
			.build());
		AtomicInteger port = new AtomicInteger();
		// Command-line arguments: they win over application.yaml, so no fixed port is
		// used.
		try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(IpamServiceApplication.class)
			.listeners((ApplicationListener<GrpcServerStartedEvent>) (event) -> port.set(event.getPort()))
			.run("--spring.grpc.server.port=0", "--server.port=0", "--spring.data.redis.host=127.0.0.1",
					"--spring.data.redis.port=" + redis.port(), "--jcilium.ipam.cluster-pool.ipv4-cidrs=10.0.0.0/16",
					"--jcilium.ipam.cluster-pool.ipv6-cidrs=fd00::/104")) {
			IpamServiceBlockingStub other = client(port.get());
			assertThat(other.getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode("restart-node").build())
				.getPodCidrsList()).isEqualTo(before.getPodCidrsList());
			assertThat(allocate(other, "restart-node").getPodCidrsList()).isEqualTo(before.getPodCidrsList());
			// A pool defined through the API on one instance: the other (or a restarted
			// one) allocates from it, and neither deletes it while a block is held.
			assertThat(other.allocatePoolBlock(poolRequest("shared-pool", "shared-node", "ipv4")).getCidr())
				.isEqualTo("10.130.0.0/26");
			assertStatus(() -> first.deletePool(DeletePoolRequest.newBuilder().setName("shared-pool").build()),
					Status.Code.FAILED_PRECONDITION, "IP pool 'shared-pool' still has 1 blocks allocated to nodes");
			assertThat(first.getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode("shared-node").build())
				.getPoolBlocksList()).extracting(PoolBlock::getCidr).containsExactly("10.130.0.0/26");
			other.releaseNodeCidrs(ReleaseNodeCidrsRequest.newBuilder().setNode("shared-node").build());
			assertThat(other.deletePool(DeletePoolRequest.newBuilder().setName("shared-pool").build()).getDeleted())
				.isTrue();
			assertStatus(() -> first.allocatePoolBlock(poolRequest("shared-pool", "shared-node", "ipv4")),
					Status.Code.NOT_FOUND, "IP pool 'shared-pool' does not exist");
		}
	}

	@Test
	void releasingANodeFreesItsPodCidrsAndPoolBlocks() {
		IpamServiceBlockingStub client = client(this.port);
		NodeCidrs cidrs = allocate(client, "leaving-node");
		String block = client.allocatePoolBlock(poolRequest("default", "leaving-node", "ipv4")).getCidr();
		assertThat(client.getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode("leaving-node").build())
			.getPoolBlocksList()).extracting(PoolBlock::getCidr).containsExactly(block);

		List<String> released = client
			.releaseNodeCidrs(ReleaseNodeCidrsRequest.newBuilder().setNode("leaving-node").build())
			.getReleasedCidrsList();

		assertThat(released).containsAll(cidrs.getPodCidrsList()).contains(block);
		NodeCidrs after = client.getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode("leaving-node").build());
		assertThat(after.getPodCidrsList()).isEmpty();
		assertThat(after.getPoolBlocksList()).isEmpty();
	}

	@Test
	void poolBlocksAreIdempotentPerCountAndReleasedOnlyByTheirNode() {
		IpamServiceBlockingStub client = client(this.port);
		String first = client.allocatePoolBlock(poolRequest("default", "pool-node", "ipv4")).getCidr();
		assertThat(client.allocatePoolBlock(poolRequest("default", "pool-node", "ipv4")).getCidr()).isEqualTo(first);
		String second = client
			.allocatePoolBlock(poolRequest("default", "pool-node", "ipv4").toBuilder().setBlockCount(2).build())
			.getCidr();
		assertThat(second).isNotEqualTo(first);
		ReleasePoolBlockRequest byOther = ReleasePoolBlockRequest.newBuilder()
			.setPool("default")
			.setNode("someone-else")
			.setCidr(first)
			.build();
		assertThat(client.releasePoolBlock(byOther).getReleased()).isFalse();
		assertThat(client.releasePoolBlock(byOther.toBuilder().setNode("pool-node").build()).getReleased()).isTrue();
	}

	@Test
	void anExhaustedPoolIsResourceExhaustedNamingThePool() {
		IpamServiceBlockingStub client = client(this.port);
		client.allocatePoolBlock(poolRequest("tiny", "tiny-a", "ipv4"));
		assertStatus(() -> client.allocatePoolBlock(poolRequest("tiny", "tiny-b", "ipv4")),
				Status.Code.RESOURCE_EXHAUSTED, "IP pool 'tiny' is exhausted");
	}

	@Test
	void badInputIsInvalidArgumentAndUnknownPoolsNotFound() {
		IpamServiceBlockingStub client = client(this.port);
		assertStatus(() -> allocate(client, ""), Status.Code.INVALID_ARGUMENT, "node name is missing");
		assertStatus(() -> allocate(client, "Bad_Node"), Status.Code.INVALID_ARGUMENT,
				"not a valid Kubernetes node name");
		assertStatus(() -> client.allocatePoolBlock(poolRequest("default", "n1", "ipx")), Status.Code.INVALID_ARGUMENT,
				"family 'ipx'");
		assertStatus(() -> client.allocatePoolBlock(poolRequest("default", "n1", "ipv6")), Status.Code.INVALID_ARGUMENT,
				"has no IPv6 CIDRs");
		assertStatus(() -> client.allocatePoolBlock(poolRequest("red", "n1", "ipv4")), Status.Code.NOT_FOUND,
				"IP pool 'red' does not exist");
		ReleasePoolBlockRequest hostBits = ReleasePoolBlockRequest.newBuilder()
			.setPool("default")
			.setNode("n1")
			.setCidr("10.100.0.1/26")
			.build();
		assertStatus(() -> client.releasePoolBlock(hostBits), Status.Code.INVALID_ARGUMENT, "host bits");
	}

	@Test
	void listPoolsShowsTheClusterPoolAndMultiPoolPools() {
		List<Pool> pools = client(this.port).listPools(ListPoolsRequest.getDefaultInstance()).getPoolsList();
		assertThat(pools).extracting(Pool::getName).containsExactly("cluster-pool", "default", "tiny");
		assertThat(pools.get(0).getCidrsList()).containsExactly("10.0.0.0/16", "fd00::/104");
		assertThat(pools.get(0).getBlocksTotal()).isEqualTo(256 + 65536);
		assertThat(pools.get(1).getIpv4MaskSize()).isEqualTo(26);
	}

	private static NodeCidrs allocate(IpamServiceBlockingStub client, String node) {
		return client.allocateNodeCidrs(AllocateNodeCidrsRequest.newBuilder().setNode(node).build());
	}

	private static AllocatePoolBlockRequest poolRequest(String pool, String node, String family) {
		return AllocatePoolBlockRequest.newBuilder().setPool(pool).setNode(node).setFamily(family).build();
	}

	@Test
	void poolsAreManagedOverTheApiAndNodeHoldersAreListed() {
		IpamServiceBlockingStub client = client(this.port);
		Pool green = client.upsertPool(UpsertPoolRequest.newBuilder()
			.setName("api-green")
			.addIpv4Cidrs("10.110.0.0/24")
			.setIpv4MaskSize(26)
			.build());
		assertThat(green.getBlocksTotal()).isEqualTo(4);
		assertStatus(() -> client.upsertPool(UpsertPoolRequest.newBuilder()
			.setName("api-green")
			.addIpv4Cidrs("10.100.0.0/24")
			.setIpv4MaskSize(26)
			.build()), Status.Code.INVALID_ARGUMENT, "IP pools overlap");
		assertStatus(() -> client.upsertPool(UpsertPoolRequest.newBuilder()
			.setName("api-bad")
			.addIpv4Cidrs("10.120.0.0/24")
			.setIpv4MaskSize(16)
			.build()), Status.Code.INVALID_ARGUMENT, "mask size must be between 24 and 32");
		String block = client.allocatePoolBlock(poolRequest("api-green", "holder-node", "ipv4")).getCidr();
		assertThat(block).isEqualTo("10.110.0.0/26");
		allocate(client, "cidr-node");
		assertThat(client.listAllocatedNodes(ListAllocatedNodesRequest.getDefaultInstance()).getNodesList())
			.contains("holder-node", "cidr-node");
		assertStatus(() -> client.deletePool(DeletePoolRequest.newBuilder().setName("api-green").build()),
				Status.Code.FAILED_PRECONDITION, "still has 1 blocks");
		assertThat(client.listPools(ListPoolsRequest.getDefaultInstance()).getPoolsList())
			.filteredOn((pool) -> pool.getName().equals("api-green"))
			.singleElement()
			.satisfies((pool) -> assertThat(pool.getConfigured()).isFalse());
		client.releaseNodeCidrs(ReleaseNodeCidrsRequest.newBuilder().setNode("holder-node").build());
		assertThat(client.listAllocatedNodes(ListAllocatedNodesRequest.getDefaultInstance()).getNodesList())
			.doesNotContain("holder-node");
		assertThat(client.deletePool(DeletePoolRequest.newBuilder().setName("api-green").build()).getDeleted())
			.isTrue();
	}

	@Test
	void aNodeActsOnlyForItselfAndNeverAdministers() {
		IpamServiceBlockingStub nodeA = client(this.port, Caller.node("auth-node-a"));
		IpamServiceBlockingStub nodeB = client(this.port, Caller.node("auth-node-b"));
		IpamServiceBlockingStub nobody = undeclaredClient(this.port);
		NodeCidrs own = allocate(nodeA, "auth-node-a");
		String block = nodeA.allocatePoolBlock(poolRequest("default", "auth-node-a", "ipv4")).getCidr();

		Status.Code denied = Status.Code.PERMISSION_DENIED;
		assertStatus(() -> allocate(nodeB, "auth-node-a"), denied,
				"AllocateNodeCidrs for node 'auth-node-a' is allowed only to that node itself or the operator");
		assertStatus(() -> nodeB.allocatePoolBlock(poolRequest("default", "auth-node-a", "ipv4")), denied,
				"not to node 'auth-node-b'");
		assertStatus(() -> nodeB.releasePoolBlock(
				ReleasePoolBlockRequest.newBuilder().setPool("default").setNode("auth-node-a").setCidr(block).build()),
				denied, "ReleasePoolBlock for node 'auth-node-a'");
		assertStatus(() -> nobody.allocatePoolBlock(poolRequest("default", "auth-node-a", "ipv4")), denied,
				"did not say who it is");
		// Releasing a node's CIDRs and changing pools is the operator's, even for the
		// node
		// itself.
		assertStatus(() -> nodeA.releaseNodeCidrs(ReleaseNodeCidrsRequest.newBuilder().setNode("auth-node-a").build()),
				denied, "ReleaseNodeCidrs is allowed only to the operator, not to node 'auth-node-a'");
		assertStatus(() -> nodeA.deletePool(DeletePoolRequest.newBuilder().setName("default").build()), denied,
				"DeletePool is allowed only to the operator");
		assertStatus(() -> nobody.upsertPool(UpsertPoolRequest.newBuilder()
			.setName("squat")
			.addIpv4Cidrs("10.130.0.0/24")
			.setIpv4MaskSize(26)
			.build()), denied, "UpsertPool is allowed only to the operator");

		// Nothing the refused calls asked for happened, and reads stay open.
		NodeCidrs after = nobody.getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode("auth-node-a").build());
		assertThat(after.getPodCidrsList()).isEqualTo(own.getPodCidrsList());
		assertThat(after.getPoolBlocksList()).extracting(PoolBlock::getCidr).containsExactly(block);
		assertThat(nobody.listPools(ListPoolsRequest.getDefaultInstance()).getPoolsList()).extracting(Pool::getName)
			.doesNotContain("squat")
			.contains("default");
	}

	@Test
	void aHugeBlockCountIsRefusedNamingTheLimitAndDrainsNothing() {
		IpamServiceBlockingStub node = client(this.port, Caller.node("greedy-node"));
		long inUseBefore = blocksInUse(node, "default");
		assertStatus(
				() -> node.allocatePoolBlock(
						poolRequest("default", "greedy-node", "ipv4").toBuilder().setBlockCount(1_000_000).build()),
				Status.Code.RESOURCE_EXHAUSTED,
				"block_count 1000000 is more than jcilium.ipam.grpc.max-pool-blocks-per-node=16");
		assertThat(blocksInUse(node, "default")).isEqualTo(inUseBefore);
	}

	private static long blocksInUse(IpamServiceBlockingStub client, String pool) {
		return client.listPools(ListPoolsRequest.getDefaultInstance())
			.getPoolsList()
			.stream()
			.filter((candidate) -> candidate.getName().equals(pool))
			.findFirst()
			.orElseThrow()
			.getBlocksInUse();
	}

	private static void assertStatus(Runnable call, Status.Code code, String message) {
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(call::run).satisfies((ex) -> {
			assertThat(ex.getStatus().getCode()).isEqualTo(code);
			assertThat(ex.getStatus().getDescription()).contains(message);
		});
	}

	/**
	 * A client calling as the operator, which may act for every node and manage pools:
	 * tests that are not about authorisation name whatever nodes they like.
	 */
	private IpamServiceBlockingStub client(int port) {
		return undeclaredClient(port).withInterceptors(CallerHeader.declaring(Caller.operator()));
	}

	private IpamServiceBlockingStub client(int port, Caller caller) {
		return undeclaredClient(port).withInterceptors(CallerHeader.declaring(caller));
	}

	private IpamServiceBlockingStub undeclaredClient(int port) {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
		this.channels.add(channel);
		return IpamServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
	}

}
