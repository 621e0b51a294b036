package io.jcilium.operator.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.ipam.v1.AllocatePoolBlockRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.ipam.v1.IpamServiceGrpc.IpamServiceBlockingStub;
import io.jcilium.api.ipam.v1.UpsertPoolRequest;
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
 * The node lifecycle in multi-pool mode, as upstream's: against fabric8's CRUD mock API
 * server and the real ipam-service (its jar as a process on a real Redis) run with
 * {@code jcilium.ipam.mode=multi-pool}. CiliumNodes carry the Node's addresses and no pod
 * CIDR, the pools the agent wrote stay, and a node that goes gives back its pool blocks.
 */
@EnableKubernetesMockClient(crud = true)
class MultiPoolNodeLifecycleIT {

	static KubernetesClient client;

	/** The operator's own client, whose calls are recorded for the chart's RBAC check. */
	static KubernetesClient operator;

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static ServiceProcess ipamService;

	private static ManagedChannel channel;

	private static GrpcNodeCidrAllocator ipam;

	private static IpamServiceBlockingStub pools;

	private static final ResourceDefinitionContext CILIUM_NODES = new ResourceDefinitionContext.Builder()
		.withGroup("cilium.io")
		.withVersion("v2")
		.withKind("CiliumNode")
		.withPlural("ciliumnodes")
		.withNamespaced(false)
		.build();

	private NodeController controller;

	@BeforeAll
	static void startService() throws Exception {
		MockApi.warmUp(client);
		operator = MockApi.operatorClient(client);
		ipamService = ServiceProcess.start(
				"ipam-service", List.of("--spring.data.redis.host=127.0.0.1",
						"--spring.data.redis.port=" + redis.port(), "--jcilium.ipam.mode=multi-pool"),
				Duration.ofMinutes(3));
		channel = ManagedChannelBuilder.forTarget(ipamService.grpcTarget()).usePlaintext().build();
		ipam = new GrpcNodeCidrAllocator(IpamServiceGrpc.newBlockingStub(channel), 10_000);
		pools = IpamServiceGrpc.newBlockingStub(channel).withInterceptors(CallerHeader.declaring(Caller.operator()));
		pools.upsertPool(UpsertPoolRequest.newBuilder()
			.setName("blue")
			.addIpv4Cidrs("10.246.0.0/16")
			.setIpv4MaskSize(27)
			.build());
	}

	@AfterAll
	static void stopService() {
		if (channel != null) {
			channel.shutdownNow();
		}
		if (ipamService != null) {
			ipamService.close();
		}
		if (operator != null) {
			operator.close();
		}
	}

	@BeforeEach
	void start() {
		this.controller = new NodeController(operator, new SharedInformers(operator), "cilium.io/v2", ipam,
				IpamMode.MULTI_POOL, Duration.ofSeconds(2));
		this.controller.startLeading();
	}

	@AfterEach
	void stop() {
		this.controller.stopLeading();
		client.nodes().delete();
		client.genericKubernetesResources(CILIUM_NODES).delete();
		ipam.allocatedNodes().forEach(ipam::release);
	}

	@Test
	void ciliumNodeCarriesTheAddressesAndNoPodCidr() {
		createNode("node-a", "192.168.1.10");
		Map<String, Object> spec = await(() -> spec("node-a"));
		assertThat(spec.get("addresses")).isEqualTo(List.of(Map.of("type", "InternalIP", "ip", "192.168.1.10")));
		assertThat(spec).doesNotContainKey("ipam");
		assertThat(ipam.allocatedNodes()).doesNotContain("node-a");
	}

	@Test
	void addressRepairKeepsThePoolsTheAgentWrote() {
		createNode("node-a", "192.168.1.10");
		await(() -> spec("node-a"));
		GenericKubernetesResource ciliumNode = client.genericKubernetesResources(CILIUM_NODES).withName("node-a").get();
		Map<String, Object> requested = Map.of("requested",
				List.of(Map.of("pool", "blue", "needed", Map.of("ipv4-addrs", 4))));
		CiliumNodes.spec(ciliumNode).put("ipam", Map.of("pools", requested));
		client.genericKubernetesResources(CILIUM_NODES).resource(ciliumNode).update();
		Node node = client.nodes().withName("node-a").get();
		node.getStatus().setAddresses(List.of(new NodeAddress("192.168.1.99", "InternalIP")));
		client.nodes().resource(node).updateStatus();
		List<Map<String, String>> moved = List.of(Map.of("type", "InternalIP", "ip", "192.168.1.99"));
		Map<String, Object> repaired = await(() -> {
			Map<String, Object> spec = spec("node-a");
			return (spec != null && moved.equals(spec.get("addresses"))) ? spec : null;
		});
		assertThat(repaired.get("ipam")).isEqualTo(Map.of("pools", requested));
	}

	@Test
	void nodeGoneGivesBackItsPoolBlocks() {
		createNode("node-a", "192.168.1.10");
		createNode("node-b", "192.168.1.11");
		await(() -> spec("node-a"));
		await(() -> spec("node-b"));
		for (String node : List.of("node-a", "node-b")) {
			pools.allocatePoolBlock(
					AllocatePoolBlockRequest.newBuilder().setPool("blue").setNode(node).setFamily("ipv4").build());
		}
		assertThat(ipam.allocatedNodes()).contains("node-a", "node-b");
		client.nodes().withName("node-a").delete();
		await(() -> ipam.allocatedNodes().contains("node-a") ? null : true);
		await(() -> (client.genericKubernetesResources(CILIUM_NODES).withName("node-a").get() == null) ? true : null);
		assertThat(ipam.allocatedNodes()).containsOnly("node-b");
	}

	private static void createNode(String name, String internalIp) {
		Node node = client.nodes()
			.resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
			.create();
		node.setStatus(new NodeStatusBuilder().addNewAddress()
			.withType("InternalIP")
			.withAddress(internalIp)
			.endAddress()
			.build());
		client.nodes().resource(node).updateStatus();
	}

	private static Map<String, Object> spec(String name) {
		GenericKubernetesResource ciliumNode = client.genericKubernetesResources(CILIUM_NODES).withName(name).get();
		if (ciliumNode == null) {
			return null;
		}
		Map<String, Object> spec = CiliumNodes.spec(ciliumNode);
		List<?> addresses = (List<?>) spec.get("addresses");
		return (addresses == null || addresses.isEmpty()) ? null : spec;
	}

	private static <T> T await(Supplier<T> probe) {
		return MockApi.awaitValue(Duration.ofSeconds(20), probe);
	}

}
