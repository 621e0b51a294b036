package io.jcilium.operator.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.ipam.v1.GetNodeCidrsRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The node lifecycle against fabric8's CRUD mock API server and the real ipam-service:
 * its executable jar runs as a process on a real Redis (cluster pool 10.0.0.0/16, one /24
 * per node), and the operator allocates and releases pod CIDRs over gRPC.
 */
@EnableKubernetesMockClient(crud = true)
class NodeControllerIT {

	static KubernetesClient client;

	/** The operator's own client, whose calls are recorded for the chart's RBAC check. */
	static KubernetesClient operator;

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static ServiceProcess ipamService;

	private static ManagedChannel channel;

	private static GrpcNodeCidrAllocator ipam;

	@BeforeAll
	static void startService() throws Exception {
		MockApi.warmUp(client);
		operator = MockApi.operatorClient(client);
		ipamService = ServiceProcess.start("ipam-service",
				List.of("--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
						"--jcilium.ipam.cluster-pool.ipv4-cidrs=10.0.0.0/16",
						"--jcilium.ipam.cluster-pool.ipv4-mask-size=24"),
				Duration.ofMinutes(3));
		channel = ManagedChannelBuilder.forTarget(ipamService.grpcTarget()).usePlaintext().build();
		ipam = new GrpcNodeCidrAllocator(IpamServiceGrpc.newBlockingStub(channel), 10_000);
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

	private static final ResourceDefinitionContext CILIUM_NODES = new ResourceDefinitionContext.Builder()
		.withGroup("cilium.io")
		.withVersion("v2")
		.withKind("CiliumNode")
		.withPlural("ciliumnodes")
		.withNamespaced(false)
		.build();

	private NodeController controller;

	@BeforeEach
	void start() {
		this.controller = new NodeController(operator, new SharedInformers(operator), "cilium.io/v2", ipam,
				Duration.ofSeconds(2));
		this.controller.startLeading();
	}

	@AfterAll
	static void closeOperatorClient() {
		operator.close();
	}

	@AfterEach
	void stop() {
		this.controller.stopLeading();
		client.nodes().delete();
		client.genericKubernetesResources(CILIUM_NODES).delete();
		// Tests share the service: what one allocated must not leak into the next.
		ipam.allocatedNodes().forEach(ipam::release);
	}

	@Test
	void eachNodeGetsACiliumNodeWithItsAddressesAndPodCidrs() {
		createNode("node-a", "192.168.1.10");
		createNode("node-b", "192.168.1.11");
		Map<String, Object> spec = await(() -> spec("node-a"));
		assertThat(spec.get("addresses")).isEqualTo(List.of(Map.of("type", "InternalIP", "ip", "192.168.1.10")));
		assertThat(podCidrs(spec)).isEqualTo(cidrsOf("node-a")).isNotEqualTo(List.of());
		Map<String, Object> other = await(() -> spec("node-b"));
		assertThat(podCidrs(other)).isEqualTo(cidrsOf("node-b"));
		assertThat(podCidrs(other)).isNotEqualTo(podCidrs(spec));
	}

	@Test
	void deletedOrEditedCiliumNodeIsRepaired() {
		createNode("node-a", "192.168.1.10");
		Object cidrs = podCidrs(await(() -> spec("node-a")));
		client.genericKubernetesResources(CILIUM_NODES).withName("node-a").delete();
		assertThat(podCidrs(await(() -> spec("node-a")))).isEqualTo(cidrs);

		GenericKubernetesResource edited = client.genericKubernetesResources(CILIUM_NODES).withName("node-a").get();
		CiliumNodes.spec(edited).put("ipam", Map.of("podCIDRs", List.of("172.16.0.0/24")));
		client.genericKubernetesResources(CILIUM_NODES).resource(edited).update();
		await(() -> Objects.equals(podCidrs(spec("node-a")), cidrs) ? true : null);
	}

	@Test
	void changedNodeAddressesReachTheCiliumNode() {
		createNode("node-a", "192.168.1.10");
		await(() -> spec("node-a"));
		Node node = client.nodes().withName("node-a").get();
		node.getStatus()
			.setAddresses(List.of(new NodeAddress("192.168.1.99", "InternalIP"),
					new NodeAddress("203.0.113.5", "ExternalIP"), new NodeAddress("node-a", "Hostname")));
		client.nodes().resource(node).updateStatus();
		List<Map<String, String>> expected = List.of(Map.of("type", "InternalIP", "ip", "192.168.1.99"),
				Map.of("type", "ExternalIP", "ip", "203.0.113.5"));
		await(() -> expected.equals(spec("node-a").get("addresses")) ? true : null);
	}

	@Test
	void nodeGoneMeansCiliumNodeDeletedAndCidrReleasedButForeignCiliumNodesStay() {
		GenericKubernetesResource foreign = new GenericKubernetesResourceBuilder().withApiVersion("cilium.io/v2")
			.withKind("CiliumNode")
			.withNewMetadata()
			.withName("not-ours")
			.endMetadata()
			.addToAdditionalProperties("spec", Map.of())
			.build();
		client.genericKubernetesResources(CILIUM_NODES).resource(foreign).create();
		createNode("node-a", "192.168.1.10");
		await(() -> spec("node-a"));
		client.nodes().withName("node-a").delete();
		await(() -> (client.genericKubernetesResources(CILIUM_NODES).withName("node-a").get() == null) ? true : null);
		await(() -> ipam.allocatedNodes().contains("node-a") ? null : true);
		assertThat(cidrsOf("node-a")).isEmpty();
		assertThat(client.genericKubernetesResources(CILIUM_NODES).withName("not-ours").get()).isNotNull();
	}

	@Test
	void nodeAndCiliumNodeDeletedTogetherStillReleaseTheCidr() {
		createNode("node-a", "192.168.1.10");
		await(() -> spec("node-a"));
		// Both objects vanish at once (a cluster tear-down, kubectl delete of both):
		// no pass ever sees a CiliumNode without its Node.
		client.nodes().withName("node-a").delete();
		client.genericKubernetesResources(CILIUM_NODES).withName("node-a").delete();
		await(() -> ipam.allocatedNodes().contains("node-a") ? null : true);
		assertThat(cidrsOf("node-a")).isEmpty();
	}

	@Test
	void cidrOfANodeDeletedWhileNoOperatorLedIsReleasedByTheNextLeader() {
		createNode("node-a", "192.168.1.10");
		createNode("node-b", "192.168.1.11");
		await(() -> spec("node-b"));
		await(() -> spec("node-a"));
		this.controller.stopLeading();
		client.nodes().withName("node-a").delete();
		client.genericKubernetesResources(CILIUM_NODES).withName("node-a").delete();
		this.controller = new NodeController(operator, new SharedInformers(operator), "cilium.io/v2", ipam,
				Duration.ofSeconds(2));
		this.controller.startLeading();
		await(() -> ipam.allocatedNodes().contains("node-a") ? null : true);
		assertThat(ipam.allocatedNodes()).containsOnly("node-b");
		assertThat(cidrsOf("node-a")).isEmpty();
	}

	@Test
	void afterIpamLostItsDataTheCiliumNodesCidrsAreKeptAndNoNewNodeGetsOne() throws Exception {
		createNode("node-a", "192.168.1.10");
		await(() -> spec("node-a"));
		createNode("node-b", "192.168.1.11");
		Object cidrsOfB = podCidrs(await(() -> spec("node-b")));
		// node-a goes: its CIDR is free again, node-b's is not the first of the pool.
		client.nodes().withName("node-a").delete();
		await(() -> ipam.allocatedNodes().contains("node-a") ? null : true);

		// ipam-service's Redis loses every key; node-b's agent keeps using its CIDR.
		redis.flushAll();
		createNode("node-c", "192.168.1.12");
		Object cidrsOfC = podCidrs(await(() -> spec("node-c")));

		assertThat(cidrsOfC).isNotEqualTo(cidrsOfB);
		assertThat(podCidrs(spec("node-b"))).as("node-b's CiliumNode keeps its CIDR").isEqualTo(cidrsOfB);
		assertThat(cidrsOf("node-b")).as("IPAM records node-b's CIDR again").isEqualTo(cidrsOfB);
		// And no other node can take it.
		assertThatThrownBy(() -> ipam.claim("node-x", cidrsOf("node-b")))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS))
			.hasMessageContaining("held by another node");
	}

	private static void createNode(String name, String internalIp) {
		Node node = client.nodes()
			.resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
			.create();
		node.setStatus(new NodeStatusBuilder().addNewAddress()
			.withType("InternalIP")
			.withAddress(internalIp)
			.endAddress()
			.addNewAddress()
			.withType("Hostname")
			.withAddress(name)
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

	private static Object podCidrs(Map<String, Object> spec) {
		return CiliumNodes.podCidrs(spec);
	}

	/** The node's pod CIDRs as ipam-service records them. */
	private static List<String> cidrsOf(String node) {
		return IpamServiceGrpc.newBlockingStub(channel)
			.getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode(node).build())
			.getPodCidrsList();
	}

	private static <T> T await(Supplier<T> probe) {
		return MockApi.awaitValue(Duration.ofSeconds(20), probe);
	}

}
