package io.jcilium.operator.lbipam;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.operator.k8s.MockApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LB-IPAM against fabric8's mock API server in CRUD mode: pools and Services are created
 * through the API and the controller's results are read back from it.
 */
@EnableKubernetesMockClient(crud = true)
class LbIpamControllerIT {

	static KubernetesClient client;

	/** The operator's own client, whose calls are recorded for the chart's RBAC check. */
	static KubernetesClient operator;

	@BeforeAll
	static void warmUp() {
		MockApi.warmUp(client);
		operator = MockApi.operatorClient(client);
	}

	private static final ResourceDefinitionContext POOLS = new ResourceDefinitionContext.Builder()
		.withGroup("cilium.io")
		.withVersion("v2alpha1")
		.withKind("CiliumLoadBalancerIPPool")
		.withPlural("ciliumloadbalancerippools")
		.withNamespaced(false)
		.build();

	private LbIpamController controller;

	@BeforeEach
	void start() {
		client.apiextensions()
			.v1()
			.customResourceDefinitions()
			.resource(new CustomResourceDefinitionBuilder().withNewMetadata()
				.withName("ciliumloadbalancerippools.cilium.io")
				.endMetadata()
				.withNewSpec()
				.withGroup("cilium.io")
				.withScope("Cluster")
				.withNewNames()
				.withKind("CiliumLoadBalancerIPPool")
				.withPlural("ciliumloadbalancerippools")
				.withSingular("ciliumloadbalancerippool")
				.endNames()
				.addNewVersion()
				.withName("v2alpha1")
				.withServed(true)
				.withStorage(true)
				.withNewSubresources()
				.withNewStatus()
				.endStatus()
				.endSubresources()
				.endVersion()
				.endSpec()
				.build())
			.createOr((existing) -> existing.update());
		this.controller = new LbIpamController(operator, "cilium.io/v2alpha1", Duration.ofSeconds(2));
		this.controller.start();
	}

	@AfterAll
	static void closeOperatorClient() {
		operator.close();
	}

	@AfterEach
	void stop() {
		this.controller.stop();
		client.services().inAnyNamespace().delete();
		client.genericKubernetesResources(POOLS).delete();
	}

	@Test
	void serviceGetsAnAddressFromTheMatchingPoolAndThePoolCountsIt() {
		createPool("blue", Map.of("blocks", List.of(Map.of("cidr", "20.0.10.0/24"))));
		createService(service("web").build());
		assertThat(await(() -> ingress("web"))).containsExactly("20.0.10.1");
		Condition satisfied = serviceCondition("web");
		assertThat(satisfied.getType()).isEqualTo("cilium.io/IPAMRequestSatisfied");
		assertThat(satisfied.getStatus()).isEqualTo("True");
		// The pass that allocates writes the Service before the pool, so the count may
		// still read 0 from the pass that saw the pool alone.
		assertThat(await(() -> {
			Map<String, Object> used = poolCondition("blue", "cilium.io/IPsUsed");
			return (used != null && "1".equals(used.get("message"))) ? used : null;
		})).containsEntry("message", "1");
		assertThat(poolCondition("blue", "cilium.io/IPsTotal")).containsEntry("message", "254");
		assertThat(poolCondition("blue", "cilium.io/PoolConflict")).containsEntry("status", "False");
	}

	@Test
	void overlappingNewerPoolIsMarkedConflicting() {
		createPool("blue", Map.of("blocks", List.of(Map.of("cidr", "20.0.10.0/24"))));
		await(() -> poolCondition("blue", "cilium.io/PoolConflict"));
		createPool("red", Map.of("blocks", List.of(Map.of("cidr", "20.0.10.0/24"))));
		Map<String, Object> conflict = await(() -> {
			Map<String, Object> c = poolCondition("red", "cilium.io/PoolConflict");
			return (c != null && "True".equals(c.get("status"))) ? c : null;
		});
		assertThat(conflict).containsEntry("reason", "cidr_overlap")
			.containsEntry("message",
					"Pool conflicts since CIDR '20.0.10.0/24' overlaps CIDR '20.0.10.0/24' from IP Pool 'blue'");
		assertThat(poolCondition("blue", "cilium.io/PoolConflict")).containsEntry("status", "False");
	}

	@Test
	void requestedIpTakenAndExhaustedPoolAreReportedOnTheService() {
		createPool("tiny", Map.of("blocks", List.of(Map.of("start", "192.0.2.10", "stop", "192.0.2.10"))));
		createService(service("owner").editSpec().withLoadBalancerIP("192.0.2.10").endSpec().build());
		assertThat(await(() -> ingress("owner"))).containsExactly("192.0.2.10");
		createService(service("thief").editMetadata()
			.addToAnnotations("lbipam.cilium.io/ips", "192.0.2.10")
			.endMetadata()
			.build());
		createService(service("late").build());
		assertThat(awaitReason("thief", "already_allocated").getMessage())
			.isEqualTo("The IP '192.0.2.10' is already allocated to another service");
		awaitReason("late", "out_of_ips");
		assertThat(ingress("thief")).isNull();
		assertThat(ingress("late")).isNull();
	}

	@Test
	void serviceWithoutPoolIsReportedAndServedOnceAMatchingPoolAppears() {
		createService(service("red-svc").editMetadata().addToLabels("color", "red").endMetadata().build());
		assertThat(awaitReason("red-svc", "no_pool").getStatus()).isEqualTo("False");
		createPool("red", Map.of("blocks", List.of(Map.of("cidr", "10.1.0.0/24")), "serviceSelector",
				Map.of("matchLabels", Map.of("color", "red"))));
		assertThat(await(() -> ingress("red-svc"))).containsExactly("10.1.0.1");
		assertThat(serviceCondition("red-svc").getReason()).isEqualTo("satisfied");
	}

	@Test
	void servicesWithASharingKeyShareOneAddress() {
		createPool("shared", Map.of("blocks", List.of(Map.of("cidr", "10.2.0.0/24"))));
		createService(service("dns-tcp").editMetadata()
			.addToAnnotations("lbipam.cilium.io/sharing-key", "dns")
			.endMetadata()
			.build());
		createService(service("dns-alt").editMetadata()
			.addToAnnotations("lbipam.cilium.io/sharing-key", "dns")
			.endMetadata()
			.editSpec()
			.editFirstPort()
			.withPort(5353)
			.endPort()
			.endSpec()
			.build());
		assertThat(await(() -> ingress("dns-tcp"))).containsExactly("10.2.0.1");
		assertThat(await(() -> ingress("dns-alt"))).containsExactly("10.2.0.1");
	}

	@Test
	void preferDualStackServiceTakesTheFamilyAPoolExistsForAndTheOtherOnceItsPoolAppears() {
		createPool("v4", Map.of("blocks", List.of(Map.of("cidr", "10.3.0.0/24"))));
		createService(service("prefer").editSpec()
			.withIpFamilyPolicy("PreferDualStack")
			.withIpFamilies("IPv4", "IPv6")
			.endSpec()
			.build());
		createService(service("require").editSpec()
			.withIpFamilyPolicy("RequireDualStack")
			.withIpFamilies("IPv4", "IPv6")
			.editFirstPort()
			.withPort(54)
			.endPort()
			.endSpec()
			.build());
		assertThat(awaitReason("require", "no_pool").getMessage()).endsWith("for IPv6");
		assertThat(await(() -> ingress("prefer"))).containsExactly("10.3.0.1");
		assertThat(awaitReason("prefer", "satisfied").getStatus()).isEqualTo("True");
		createPool("v6", Map.of("blocks", List.of(Map.of("cidr", "2004:3::/64"))));
		assertThat(await(() -> {
			List<String> ips = ingress("prefer");
			return (ips != null && ips.size() == 2) ? ips : null;
		})).containsExactly("10.3.0.1", "2004:3::1");
	}

	@Test
	void serviceThatStopsBeingTypeLoadBalancerReleasesItsAddressToTheNextService() {
		createPool("single", Map.of("blocks", List.of(Map.of("start", "192.0.2.20", "stop", "192.0.2.20"))));
		createService(service("was-lb").build());
		assertThat(await(() -> ingress("was-lb"))).containsExactly("192.0.2.20");
		createService(service("waiting").editSpec().editFirstPort().withPort(80).endPort().endSpec().build());
		awaitReason("waiting", "out_of_ips");
		client.services()
			.inNamespace("default")
			.withName("was-lb")
			.edit((s) -> new ServiceBuilder(s).editSpec().withType("ClusterIP").endSpec().build());
		await(() -> (ingress("was-lb") == null && serviceCondition("was-lb") == null) ? true : null);
		assertThat(await(() -> ingress("waiting"))).containsExactly("192.0.2.20");
		assertThat(serviceCondition("waiting").getStatus()).isEqualTo("True");
	}

	private static ServiceBuilder service(String name) {
		return new ServiceBuilder().withNewMetadata()
			.withName(name)
			.withNamespace("default")
			.endMetadata()
			.withNewSpec()
			.withType("LoadBalancer")
			.addNewPort()
			.withPort(53)
			.withProtocol("TCP")
			.endPort()
			.endSpec();
	}

	private static void createService(Service service) {
		client.services().inNamespace("default").resource(service).create();
	}

	private static void createPool(String name, Map<String, Object> spec) {
		GenericKubernetesResource pool = new GenericKubernetesResourceBuilder().withApiVersion("cilium.io/v2alpha1")
			.withKind("CiliumLoadBalancerIPPool")
			.withNewMetadata()
			.withName(name)
			.endMetadata()
			.addToAdditionalProperties("spec", spec)
			.build();
		client.genericKubernetesResources(POOLS).resource(pool).create();
	}

	private static List<String> ingress(String name) {
		Service service = client.services().inNamespace("default").withName(name).get();
		if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
				|| service.getStatus().getLoadBalancer().getIngress() == null
				|| service.getStatus().getLoadBalancer().getIngress().isEmpty()) {
			return null;
		}
		return service.getStatus().getLoadBalancer().getIngress().stream().map(LoadBalancerIngress::getIp).toList();
	}

	private static Condition serviceCondition(String name) {
		Service service = client.services().inNamespace("default").withName(name).get();
		if (service.getStatus() == null || service.getStatus().getConditions() == null) {
			return null;
		}
		return service.getStatus()
			.getConditions()
			.stream()
			.filter((c) -> "cilium.io/IPAMRequestSatisfied".equals(c.getType()))
			.findFirst()
			.orElse(null);
	}

	private static Condition awaitReason(String name, String reason) {
		return await(() -> {
			Condition condition = serviceCondition(name);
			return (condition != null && reason.equals(condition.getReason())) ? condition : null;
		});
	}

	private static Map<String, Object> poolCondition(String name, String type) {
		GenericKubernetesResource pool = client.genericKubernetesResources(POOLS).withName(name).get();
		List<Map<String, Object>> conditions = Conditions
			.rawList(Conditions.asMap(pool.getAdditionalProperties().get("status")).get("conditions"));
		return conditions.stream().filter((c) -> type.equals(c.get("type"))).findFirst().orElse(null);
	}

	private static <T> T await(Supplier<T> probe) {
		return MockApi.awaitValue(Duration.ofSeconds(15), probe);
	}

}
