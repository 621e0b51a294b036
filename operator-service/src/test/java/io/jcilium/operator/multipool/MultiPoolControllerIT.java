package io.jcilium.operator.multipool;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.crd.v2alpha1.CiliumPodIPPool;
import io.jcilium.api.ipam.v1.DeletePoolRequest;
import io.jcilium.api.ipam.v1.GetNodeCidrsRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.ipam.v1.IpamServiceGrpc.IpamServiceBlockingStub;
import io.jcilium.api.ipam.v1.ListAllocatedNodesRequest;
import io.jcilium.api.ipam.v1.ListPoolsRequest;
import io.jcilium.api.ipam.v1.Pool;
import io.jcilium.api.ipam.v1.PoolBlock;
import io.jcilium.api.ipam.v1.ReleaseNodeCidrsRequest;
import io.jcilium.operator.k8s.InformerController;
import io.jcilium.operator.k8s.MockApi;
import io.jcilium.operator.k8s.SharedInformers;
import io.jcilium.testsupport.RedisServer;
import io.jcilium.testsupport.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Multi-pool IPAM against fabric8's CRUD mock API server and the real ipam-service: its
 * executable jar runs as a process on a real Redis, with the configured pool
 * {@code default} (10.10.0.0/16, /24 blocks) and the cluster pool 10.0.0.0/16; the
 * operator pushes CiliumPodIPPools and asks for node blocks over gRPC.
 */
@EnableKubernetesMockClient(crud = true)
class MultiPoolControllerIT {

	static KubernetesClient client;

	/** The operator's own client, whose calls are recorded for the chart's RBAC check. */
	static KubernetesClient operator;

	private static final ResourceDefinitionContext CILIUM_NODES = InformerController.customResource("cilium.io/v2",
			"CiliumNode", "ciliumnodes", false);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static ServiceProcess ipamService;

	private static ManagedChannel channel;

	private MultiPoolController controller;

	@BeforeAll
	static void startService() throws Exception {
		MockApi.warmUp(client);
		operator = MockApi.operatorClient(client);
		ipamService = ServiceProcess.start("ipam-service",
				List.of("--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
						"--jcilium.ipam.cluster-pool.ipv4-cidrs=10.0.0.0/16",
						"--jcilium.ipam.multi-pool.pools.default.ipv4-cidrs=10.10.0.0/16",
						"--jcilium.ipam.multi-pool.pools.default.ipv4-mask-size=24"),
				Duration.ofMinutes(3));
		channel = ManagedChannelBuilder.forTarget(ipamService.grpcTarget()).usePlaintext().build();
	}

	@AfterAll
	static void stopService() {
		if (channel != null) {
			channel.shutdownNow();
		}
		if (ipamService != null) {
			ipamService.close();
		}
	}

	@BeforeEach
	void start() {
		this.controller = new MultiPoolController(operator, new SharedInformers(operator), "cilium.io/v2",
				new GrpcPoolIpam(IpamServiceGrpc.newBlockingStub(channel), 10_000), Duration.ofMillis(500));
		this.controller.startLeading();
	}

	@AfterAll
	static void closeOperatorClient() {
		operator.close();
	}

	@AfterEach
	void stop() {
		this.controller.stopLeading();
		client.resources(CiliumPodIPPool.class).delete();
		client.genericKubernetesResources(CILIUM_NODES).delete();
		client.v1().events().inAnyNamespace().delete();
		// Tests share the service: free every block, then drop the pools the API defined
		// (as the operator: only it may).
		IpamServiceBlockingStub ipam = IpamServiceGrpc.newBlockingStub(channel)
			.withInterceptors(CallerHeader.declaring(Caller.operator()));
		ipam.listAllocatedNodes(ListAllocatedNodesRequest.getDefaultInstance())
			.getNodesList()
			.forEach((node) -> ipam.releaseNodeCidrs(ReleaseNodeCidrsRequest.newBuilder().setNode(node).build()));
		ipam.listPools(ListPoolsRequest.getDefaultInstance())
			.getPoolsList()
			.stream()
			.filter((pool) -> !pool.getConfigured())
			.forEach((pool) -> ipam.deletePool(DeletePoolRequest.newBuilder().setName(pool.getName()).build()));
	}

	/** The pool as ipam-service has it, or null. */
	private static Pool pool(String name) {
		return IpamServiceGrpc.newBlockingStub(channel)
			.listPools(ListPoolsRequest.getDefaultInstance())
			.getPoolsList()
			.stream()
			.filter((pool) -> pool.getName().equals(name))
			.findFirst()
			.orElse(null);
	}

	@Test
	void poolsReachIpamAndNodesGetEnoughBlocksOfThePoolsTheyRequest() {
		createPool("blue", "10.20.0.0/16", 24);
		createNode("node-a", List.of(request("blue", 300), request("default", 10)));
		// 300 addresses need two /24 blocks; the request may first meet a pass that has
		// not seen the new pool yet, so wait for the converged state.
		MockApi.await(Duration.ofSeconds(20), () -> Map.of("blue", 2, "default", 1).equals(blockCounts("node-a")));
		assertThat(pool("blue").getCidrsList()).containsExactly("10.20.0.0/16");
	}

	@Test
	void anInvalidPoolIsReportedOnItAndTheLastGoodPoolStays() {
		createPool("blue", "10.20.0.0/16", 24);
		MockApi.await(Duration.ofSeconds(20), () -> pool("blue") != null);
		CiliumPodIPPool blue = client.resources(CiliumPodIPPool.class).withName("blue").get();
		blue.getSpec().ipv4.cidrs = List.of("10.10.128.0/17");
		client.resources(CiliumPodIPPool.class).resource(blue).update();
		createPool("typo", "10.300.0.0/16", 24);
		createPool("too-big", "10.40.0.0/16", 8);
		assertThat(awaitWarning("blue")).contains("IP pools overlap").contains("pool 'default'");
		assertThat(awaitWarning("typo")).contains("10.300.0.0/16");
		assertThat(awaitWarning("too-big")).contains("mask size must be between 16 and 32");
		assertThat(pool("blue").getCidrsList()).containsExactly("10.20.0.0/16");
		assertThat(pool("typo")).isNull();
	}

	@Test
	void aRequestForAnUnknownPoolIsReportedOnTheCiliumNode() {
		createNode("node-a", List.of(request("missing", 1)));
		assertThat(awaitWarning("node-a")).contains("IP pool 'missing' does not exist");
	}

	@Test
	void aDeletedPoolGoesOnceItsNodesNoLongerRequestIt() {
		createPool("blue", "10.20.0.0/16", 24);
		createNode("node-a", List.of(request("blue", 1)));
		// ipam-service keeps a pool's search cursor in Redis, so which /24 comes first
		// depends on the tests before: check the shape, then use what was allocated.
		Object held = MockApi.awaitValue(Duration.ofSeconds(20),
				() -> Map.of("blue", 1).equals(blockCounts("node-a")) ? allocated("node-a") : null);
		client.resources(CiliumPodIPPool.class).withName("blue").delete();
		assertThat(pool("blue")).as("blocks still allocated").isNotNull();
		// A patch, not get-then-update: the operator may write the node in between (its
		// pass after the pool's deletion), which an update would meet as a conflict.
		client.genericKubernetesResources(CILIUM_NODES).withName("node-a").edit((node) -> {
			spec(node).put("ipam", Map.of("pools", Map.of("requested", List.of(), "allocated", held)));
			return node;
		});
		MockApi.await(Duration.ofSeconds(20), () -> pool("blue") == null);
		MockApi.await(Duration.ofSeconds(20), () -> allocated("node-a") == null);
	}

	@Test
	void aBlockTheAgentLeavesOutOfAllocatedIsReleasedAndTheOthersStay() {
		createPool("blue", "10.20.0.0/16", 24);
		createNode("node-a", List.of(request("blue", 300)));
		List<?> held = MockApi.awaitValue(Duration.ofSeconds(20),
				() -> Map.of("blue", 2).equals(blockCounts("node-a")) ? blueBlocks("node-a") : null);
		String kept = held.get(0).toString();
		String givenBack = held.get(1).toString();

		// What the agent writes when it gives a block back: one patch of both fields.
		client.genericKubernetesResources(CILIUM_NODES).withName("node-a").edit((node) -> {
			spec(node).put("ipam", Map.of("pools", Map.of("requested", List.of(request("blue", 200)), "allocated",
					List.of(Map.of("pool", "blue", "cidrs", List.of(kept))))));
			return node;
		});

		MockApi.await(Duration.ofSeconds(20), () -> List.of(kept).equals(ipamBlocks("node-a")));
		// Not written back, and a later pass keeps it so.
		MockApi.await(Duration.ofSeconds(20), () -> List.of(kept).equals(blueBlocks("node-a")));
		assertThat(ipamBlocks("node-a")).containsExactly(kept).doesNotContain(givenBack);
	}

	/**
	 * The informer cache may lag behind the operator's own write and then jump past it to
	 * the agent's: one pass sees the node before its blocks were written, the next sees
	 * the agent's give-back. Neither may cost the node a block it lists, and the
	 * give-back must still release the block.
	 */
	@Test
	void aPassOnAStaleCacheKeepsTheBlocksAndOneThatSkipsTheOperatorsWriteStillReleases() {
		this.controller.stopLeading();
		MultiPoolReconciler reconciler = new MultiPoolReconciler(operator, CILIUM_NODES,
				new GrpcPoolIpam(IpamServiceGrpc.newBlockingStub(channel), 10_000));
		createPool("blue", "10.20.0.0/16", 24);
		createNode("node-b", List.of(request("blue", 300)));
		List<CiliumPodIPPool> pools = client.resources(CiliumPodIPPool.class).list().getItems();
		GenericKubernetesResource asCreated = client.genericKubernetesResources(CILIUM_NODES).withName("node-b").get();

		reconciler.reconcile(pools, List.of(asCreated));
		List<?> held = blueBlocks("node-b");
		assertThat(held).hasSize(2);
		reconciler.reconcile(pools, List.of(asCreated));
		assertThat(ipamBlocks("node-b")).as("a cache behind the operator's write").hasSize(2);
		assertThat(blueBlocks("node-b")).isEqualTo(held);

		String kept = held.get(0).toString();
		GenericKubernetesResource givenBack = client.genericKubernetesResources(CILIUM_NODES)
			.withName("node-b")
			.edit((node) -> {
				spec(node).put("ipam", Map.of("pools", Map.of("requested", List.of(request("blue", 200)), "allocated",
						List.of(Map.of("pool", "blue", "cidrs", List.of(kept))))));
				return node;
			});
		reconciler.reconcile(pools, List.of(givenBack));
		assertThat(ipamBlocks("node-b")).containsExactly(kept);
		assertThat(blueBlocks("node-b")).isEqualTo(List.of(kept));
	}

	/**
	 * The agent gives a block back between the operator's read of its CiliumNode and the
	 * operator's write of a new block: the write must not put the given-back block back
	 * into {@code allocated} (a lost update), and the block is released.
	 */
	@Test
	void aWriteOnAVersionTheAgentChangedSinceStartsOverAndLosesNoGiveBack() {
		this.controller.stopLeading();
		MultiPoolReconciler reconciler = new MultiPoolReconciler(operator, CILIUM_NODES,
				new GrpcPoolIpam(IpamServiceGrpc.newBlockingStub(channel), 10_000));
		createPool("blue", "10.20.0.0/16", 24);
		createNode("node-c", List.of(request("blue", 300)));
		List<CiliumPodIPPool> pools = client.resources(CiliumPodIPPool.class).list().getItems();
		reconciler.reconcile(pools, List.of(client.genericKubernetesResources(CILIUM_NODES).withName("node-c").get()));
		List<?> held = blueBlocks("node-c");
		assertThat(held).hasSize(2);
		String kept = held.get(0).toString();
		String givenBack = held.get(1).toString();

		// The version the operator's pass reads: the agent asks for a third block.
		GenericKubernetesResource read = client.genericKubernetesResources(CILIUM_NODES)
			.withName("node-c")
			.edit((node) -> {
				spec(node).put("ipam", Map.of("pools", Map.of("requested", List.of(request("blue", 600)), "allocated",
						List.of(Map.of("pool", "blue", "cidrs", List.of(kept, givenBack))))));
				return node;
			});
		// Then, before the operator writes, the agent gives a block back.
		client.genericKubernetesResources(CILIUM_NODES).withName("node-c").edit((node) -> {
			spec(node).put("ipam", Map.of("pools", Map.of("requested", List.of(request("blue", 200)), "allocated",
					List.of(Map.of("pool", "blue", "cidrs", List.of(kept))))));
			return node;
		});

		reconciler.reconcile(pools, List.of(read));

		List<String> listed = blueBlocks("node-c").stream().map(Object::toString).toList();
		assertThat(listed).as("the CiliumNode's blue blocks").contains(kept).doesNotContain(givenBack);
		assertThat(listed).doesNotHaveDuplicates();
		assertThat(ipamBlocks("node-c")).as("ipam-service's blocks of the node")
			.doesNotContain(givenBack)
			.containsExactlyInAnyOrderElementsOf(listed);
	}

	/** The node's blue blocks as ipam-service holds them. */
	private static List<String> ipamBlocks(String node) {
		return IpamServiceGrpc.newBlockingStub(channel)
			.getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode(node).build())
			.getPoolBlocksList()
			.stream()
			.filter((block) -> "blue".equals(block.getPool()))
			.map(PoolBlock::getCidr)
			.toList();
	}

	private static List<?> blueBlocks(String node) {
		if (allocated(node) instanceof List<?> entries) {
			for (Object entry : entries) {
				if (entry instanceof Map<?, ?> block && "blue".equals(block.get("pool"))) {
					return (List<?>) block.get("cidrs");
				}
			}
		}
		return null;
	}

	private String awaitWarning(String involved) {
		return MockApi.awaitValue(Duration.ofSeconds(20),
				() -> client.v1()
					.events()
					.inNamespace("default")
					.list()
					.getItems()
					.stream()
					.filter((event) -> involved.equals(event.getInvolvedObject().getName()))
					.filter((event) -> "Warning".equals(event.getType()))
					.map(Event::getMessage)
					.findFirst()
					.orElse(null));
	}

	private static Map<String, Object> request(String pool, int ipv4Addrs) {
		return Map.of("pool", pool, "needed", Map.of("ipv4-addrs", ipv4Addrs));
	}

	private static void createPool(String name, String cidr, int maskSize) {
		CiliumPodIPPool pool = new CiliumPodIPPool();
		pool.setMetadata(new ObjectMetaBuilder().withName(name).build());
		CiliumPodIPPool.Spec spec = new CiliumPodIPPool.Spec();
		spec.ipv4 = new CiliumPodIPPool.FamilySpec();
		spec.ipv4.cidrs = List.of(cidr);
		spec.ipv4.maskSize = maskSize;
		pool.setSpec(spec);
		client.resources(CiliumPodIPPool.class).resource(pool).create();
	}

	private static void createNode(String name, List<Map<String, Object>> requested) {
		client.genericKubernetesResources(CILIUM_NODES)
			.resource(new GenericKubernetesResourceBuilder().withApiVersion("cilium.io/v2")
				.withKind("CiliumNode")
				.withNewMetadata()
				.withName(name)
				.endMetadata()
				.addToAdditionalProperties("spec", Map.of("ipam", Map.of("pools", Map.of("requested", requested))))
				.build())
			.create();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> spec(GenericKubernetesResource node) {
		Map<String, Object> spec = new LinkedHashMap<>(
				(Map<String, Object>) node.getAdditionalProperties().get("spec"));
		node.getAdditionalProperties().put("spec", spec);
		return spec;
	}

	/**
	 * Blocks per pool in the CiliumNode's {@code allocated}, each checked to lie in its
	 * pool.
	 */
	private static Map<String, Integer> blockCounts(String node) {
		if (!(allocated(node) instanceof List<?> entries)) {
			return Map.of();
		}
		Map<String, Integer> counts = new LinkedHashMap<>();
		for (Object entry : entries) {
			Map<?, ?> block = (Map<?, ?>) entry;
			List<?> cidrs = (List<?>) block.get("cidrs");
			String prefix = "blue".equals(block.get("pool")) ? "10.20." : "10.10.";
			assertThat(cidrs).allSatisfy((cidr) -> assertThat(cidr.toString()).startsWith(prefix).endsWith("/24"));
			counts.put(block.get("pool").toString(), cidrs.size());
		}
		return counts;
	}

	private static Object allocated(String node) {
		GenericKubernetesResource ciliumNode = client.genericKubernetesResources(CILIUM_NODES).withName(node).get();
		return (ciliumNode != null) ? NodePoolRequests.allocated(ciliumNode) : null;
	}

}
