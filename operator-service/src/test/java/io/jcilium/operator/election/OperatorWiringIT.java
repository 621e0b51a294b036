package io.jcilium.operator.election;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.operator.OperatorServiceApplication;
import io.jcilium.operator.identitygc.IdentityGcController;
import io.jcilium.operator.k8s.MockApi;
import io.jcilium.operator.lbipam.LbIpamController;
import io.jcilium.operator.multipool.MultiPoolController;
import io.jcilium.operator.node.NodeController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator as Spring wires it, against the CRUD mock API server: the replica wins the
 * Lease, starts its controllers, and LB-IPAM serves a Service end to end.
 */
@EnableKubernetesMockClient(crud = true)
@SpringBootTest(classes = { OperatorServiceApplication.class, OperatorWiringIT.MockClient.class },
		webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.grpc.server.port=0", "spring.main.cloud-platform=none",
				"jcilium.operator.election.namespace=default", "jcilium.operator.election.identity=wiring-test",
				"jcilium.operator.election.lease-duration-seconds=4",
				"jcilium.operator.election.renew-deadline-seconds=3",
				"jcilium.operator.election.retry-period-millis=500",
				// On outside multi-pool mode too, so that its calls reach the RBAC check.
				"jcilium.operator.multi-pool.enabled=true" })
class OperatorWiringIT {

	static KubernetesClient client;

	/** The operator's own client, whose calls are recorded for the chart's RBAC check. */
	static KubernetesClient operator;

	@Autowired
	LeaseElection election;

	@Autowired
	LbIpamController lbIpam;

	@Autowired
	List<LeaderTask> tasks;

	@BeforeAll
	static void warmUp() {
		MockApi.warmUp(client);
		operator = MockApi.operatorClient(client);
	}

	@AfterAll
	static void closeOperatorClient() {
		operator.close();
	}

	@Test
	void leaderRunsLbIpamAndNodeLifecycle() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!this.election.isLeader() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(this.election.isLeader()).isTrue();
		assertThat(this.tasks).hasAtLeastOneElementOfType(NodeController.class)
			.hasAtLeastOneElementOfType(LbIpamController.class)
			.hasAtLeastOneElementOfType(MultiPoolController.class)
			.hasAtLeastOneElementOfType(IdentityGcController.class);
		assertThat(this.lbIpam.isRunning()).isTrue();

		ResourceDefinitionContext pools = new ResourceDefinitionContext.Builder().withGroup("cilium.io")
			.withVersion("v2alpha1")
			.withKind("CiliumLoadBalancerIPPool")
			.withPlural("ciliumloadbalancerippools")
			.withNamespaced(false)
			.build();
		client.genericKubernetesResources(pools)
			.resource(new GenericKubernetesResourceBuilder().withApiVersion("cilium.io/v2alpha1")
				.withKind("CiliumLoadBalancerIPPool")
				.withNewMetadata()
				.withName("wiring")
				.endMetadata()
				.addToAdditionalProperties("spec", Map.of("blocks", List.of(Map.of("cidr", "198.51.100.0/24"))))
				.build())
			.create();
		client.services()
			.inNamespace("default")
			.resource(new ServiceBuilder().withNewMetadata()
				.withName("web")
				.endMetadata()
				.withNewSpec()
				.withType("LoadBalancer")
				.addNewPort()
				.withPort(80)
				.endPort()
				.endSpec()
				.build())
			.create();
		List<String> ingress = List.of();
		while (ingress.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(50);
			Service web = client.services().inNamespace("default").withName("web").get();
			if (web.getStatus() != null && web.getStatus().getLoadBalancer() != null
					&& web.getStatus().getLoadBalancer().getIngress() != null) {
				ingress = web.getStatus()
					.getLoadBalancer()
					.getIngress()
					.stream()
					.map(LoadBalancerIngress::getIp)
					.toList();
			}
		}
		assertThat(ingress).containsExactly("198.51.100.1");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class MockClient {

		// The test class closes this client after all its tests.
		@Bean(destroyMethod = "")
		@Primary
		KubernetesClient mockKubernetesClient() {
			return operator;
		}

	}

}
