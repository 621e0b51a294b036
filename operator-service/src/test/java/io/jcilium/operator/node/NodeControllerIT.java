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
import io.jcilium.operator.k8s.MockApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node lifecycle against fabric8's CRUD mock API server, with an in-memory IPAM.
 */
@EnableKubernetesMockClient(crud = true)
class NodeControllerIT {

	static KubernetesClient client;

	@BeforeAll
	static void warmUp() {
		MockApi.warmUp(client);
	}

	private static final ResourceDefinitionContext CILIUM_NODES = new ResourceDefinitionContext.Builder()
		.withGroup("cilium.io")
		.withVersion("v2")
		.withKind("CiliumNode")
		.withPlural("ciliumnodes")
		.withNamespaced(false)
		.build();

	private final InMemoryNodeCidrAllocator ipam = new InMemoryNodeCidrAllocator();

	private NodeController controller;

	@BeforeEach
	void start() {
		this.controller = new NodeController(client, "cilium.io/v2", this.ipam, Duration.ofSeconds(2));
		this.controller.startLeading();
	}

	@AfterEach
	void stop() {
		this.controller.stopLeading();
		client.nodes().delete();
		client.genericKubernetesResources(CILIUM_NODES).delete();
	}

	@Test
	void eachNodeGetsACiliumNodeWithItsAddressesAndPodCidrs() {
		createNode("node-a", "192.168.1.10");
		createNode("node-b", "192.168.1.11");
		Map<String, Object> spec = await(() -> spec("node-a"));
		assertThat(spec.get("addresses")).isEqualTo(List.of(Map.of("type", "InternalIP", "ip", "192.168.1.10")));
		assertThat(podCidrs(spec)).isEqualTo(List.of(this.ipam.allocations().get("node-a")));
		Map<String, Object> other = await(() -> spec("node-b"));
		assertThat(podCidrs(other)).isEqualTo(List.of(this.ipam.allocations().get("node-b")));
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
		assertThat(this.ipam.released).containsExactly("node-a");
		assertThat(this.ipam.allocations()).doesNotContainKey("node-a");
		assertThat(client.genericKubernetesResources(CILIUM_NODES).withName("not-ours").get()).isNotNull();
	}

	@Test
	void nodeAndCiliumNodeDeletedTogetherStillReleaseTheCidr() {
		createNode("node-a", "192.168.1.10");
		String cidr = (String) ((List<?>) podCidrs(await(() -> spec("node-a")))).get(0);
		// Both objects vanish at once (a cluster tear-down, kubectl delete of both):
		// no pass ever sees a CiliumNode without its Node.
		client.nodes().withName("node-a").delete();
		client.genericKubernetesResources(CILIUM_NODES).withName("node-a").delete();
		await(() -> this.ipam.allocations().containsKey("node-a") ? null : true);
		assertThat(this.ipam.released).containsExactly("node-a");
		createNode("node-b", "192.168.1.11");
		assertThat(podCidrs(await(() -> spec("node-b")))).isEqualTo(List.of(cidr));
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
		this.controller = new NodeController(client, "cilium.io/v2", this.ipam, Duration.ofSeconds(2));
		this.controller.startLeading();
		await(() -> this.ipam.allocations().containsKey("node-a") ? null : true);
		assertThat(this.ipam.allocations()).containsOnlyKeys("node-b");
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

	private static <T> T await(Supplier<T> probe) {
		return MockApi.awaitValue(Duration.ofSeconds(20), probe);
	}

}
