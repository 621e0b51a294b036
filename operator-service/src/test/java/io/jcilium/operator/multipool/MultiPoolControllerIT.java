package io.jcilium.operator.multipool;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.jcilium.api.crd.v2alpha1.CiliumPodIPPool;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.ipam.v1.Pool;
import io.jcilium.operator.k8s.InformerController;
import io.jcilium.operator.k8s.MockApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Multi-pool IPAM against fabric8's CRUD mock API server, with ipam-service's pool API
 * served in-process by {@link IpamStandIn}.
 */
@EnableKubernetesMockClient(crud = true)
class MultiPoolControllerIT {

	static KubernetesClient client;

	private static final ResourceDefinitionContext CILIUM_NODES = InformerController.customResource("cilium.io/v2",
			"CiliumNode", "ciliumnodes", false);

	private final IpamStandIn ipam = new IpamStandIn(
			Pool.newBuilder().setName("default").addCidrs("10.10.0.0/16").setIpv4MaskSize(24).build());

	private Server server;

	private ManagedChannel channel;

	private MultiPoolController controller;

	@BeforeAll
	static void warmUp() {
		MockApi.warmUp(client);
	}

	@BeforeEach
	void start() throws Exception {
		String name = "ipam-" + UUID.randomUUID();
		this.server = InProcessServerBuilder.forName(name).addService(this.ipam).build().start();
		this.channel = InProcessChannelBuilder.forName(name).build();
		this.controller = new MultiPoolController(client, "cilium.io/v2",
				new GrpcPoolIpam(IpamServiceGrpc.newBlockingStub(this.channel), 2000), Duration.ofMillis(500));
		this.controller.startLeading();
	}

	@AfterEach
	void stop() {
		this.controller.stopLeading();
		this.channel.shutdownNow();
		this.server.shutdownNow();
		client.resources(CiliumPodIPPool.class).delete();
		client.genericKubernetesResources(CILIUM_NODES).delete();
		client.v1().events().inAnyNamespace().delete();
	}

	@Test
	void poolsReachIpamAndNodesGetEnoughBlocksOfThePoolsTheyRequest() {
		createPool("blue", "10.20.0.0/16", 24);
		createNode("node-a", List.of(request("blue", 300), request("default", 10)));
		// 300 addresses need two /24 blocks; the request may first meet a pass that has
		// not seen the new pool yet, so wait for the converged state.
		List<Map<String, Object>> expected = List.of(
				Map.of("pool", "blue", "cidrs", List.of("10.20.0.0/24", "10.20.1.0/24")),
				Map.of("pool", "default", "cidrs", List.of("10.10.0.0/24")));
		MockApi.await(Duration.ofSeconds(20), () -> expected.equals(allocated("node-a")));
		assertThat(this.ipam.pool("blue").getCidrsList()).containsExactly("10.20.0.0/16");
	}

	@Test
	void anInvalidPoolIsReportedOnItAndTheLastGoodPoolStays() {
		createPool("blue", "10.20.0.0/16", 24);
		MockApi.await(Duration.ofSeconds(20), () -> this.ipam.pool("blue") != null);
		CiliumPodIPPool blue = client.resources(CiliumPodIPPool.class).withName("blue").get();
		blue.getSpec().ipv4.cidrs = List.of("10.10.128.0/17");
		client.resources(CiliumPodIPPool.class).resource(blue).update();
		createPool("typo", "10.300.0.0/16", 24);
		createPool("too-big", "10.40.0.0/16", 8);
		assertThat(awaitWarning("blue")).contains("IP pools overlap").contains("pool 'default'");
		assertThat(awaitWarning("typo")).contains("10.300.0.0/16");
		assertThat(awaitWarning("too-big")).contains("mask size must be between 16 and 32");
		assertThat(this.ipam.pool("blue").getCidrsList()).containsExactly("10.20.0.0/16");
		assertThat(this.ipam.pool("typo")).isNull();
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
		List<Map<String, Object>> held = List.of(Map.of("pool", "blue", "cidrs", List.of("10.20.0.0/24")));
		MockApi.await(Duration.ofSeconds(20), () -> held.equals(allocated("node-a")));
		client.resources(CiliumPodIPPool.class).withName("blue").delete();
		GenericKubernetesResource node = client.genericKubernetesResources(CILIUM_NODES).withName("node-a").get();
		assertThat(this.ipam.pool("blue")).as("blocks still allocated").isNotNull();
		spec(node).put("ipam", Map.of("pools", Map.of("requested", List.of(), "allocated", held)));
		client.genericKubernetesResources(CILIUM_NODES).resource(node).update();
		MockApi.await(Duration.ofSeconds(20), () -> this.ipam.pool("blue") == null);
		MockApi.await(Duration.ofSeconds(20), () -> allocated("node-a") == null);
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

	private static Object allocated(String node) {
		GenericKubernetesResource ciliumNode = client.genericKubernetesResources(CILIUM_NODES).withName(node).get();
		return (ciliumNode != null) ? NodePoolRequests.allocated(ciliumNode) : null;
	}

}
