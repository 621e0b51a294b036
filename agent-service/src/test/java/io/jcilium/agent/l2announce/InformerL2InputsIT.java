package io.jcilium.agent.l2announce;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.api.crd.v2alpha1.CiliumL2AnnouncementPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The agent's inputs from informers on fabric8's CRUD mock API server: nothing until
 * every cache has synced (a restarting agent must not withdraw), then the policy, the
 * Service and this node's labels as the API server has them, planned into the service the
 * policy selects.
 */
@EnableKubernetesMockClient(crud = true)
class InformerL2InputsIT {

	private static final Duration BOUND = Duration.ofSeconds(60);

	static KubernetesClient client;

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	@Test
	void inputsOnlyOnceSyncedThenWhatTheApiServerHolds() throws InterruptedException {
		create(Node.class, """
				apiVersion: v1
				kind: Node
				metadata: {name: node-7, labels: {role: edge}}
				""");
		create(Service.class, """
				apiVersion: v1
				kind: Service
				metadata: {name: web, namespace: shop}
				spec: {type: LoadBalancer, ports: [{port: 80}]}
				status:
				  loadBalancer: {ingress: [{ip: 192.0.2.100}]}
				""");
		create(CiliumL2AnnouncementPolicy.class, """
				apiVersion: cilium.io/v2alpha1
				kind: CiliumL2AnnouncementPolicy
				metadata: {name: edge}
				spec:
				  nodeSelector: {matchLabels: {role: edge}}
				  loadBalancerIPs: true
				""");
		SharedIndexInformer<CiliumL2AnnouncementPolicy> policies = client.resources(CiliumL2AnnouncementPolicy.class)
			.runnableInformer(0);
		SharedIndexInformer<Service> services = client.services().inAnyNamespace().runnableInformer(0);
		SharedIndexInformer<Node> node = client.nodes().withName("node-7").runnableInformer(0);
		InformerL2Inputs inputs = new InformerL2Inputs(policies, services, node, new L2Responder() {

			@Override
			public List<String> devices() {
				return List.of("eth0");
			}

			@Override
			public void sync(Set<ResponderEntry> entries) {
			}

		});
		assertThatThrownBy(inputs::get).hasMessageContaining("cache to sync");
		try {
			policies.run();
			services.run();
			node.run();
			long deadline = System.nanoTime() + BOUND.toNanos();
			while (!(policies.hasSynced() && services.hasSynced() && node.hasSynced())) {
				assertThat(System.nanoTime()).as("waiting for the informers to sync").isLessThan(deadline);
				Thread.sleep(100);
			}
			L2Inputs current = inputs.get();
			assertThat(current.nodeLabels()).isEqualTo(Map.of("role", "edge"));
			assertThat(current.devices()).containsExactly("eth0");
			assertThat(L2AnnouncementPlanner.plan(current).services())
				.containsOnlyKeys(new AnnouncedService("shop", "web"));
		}
		finally {
			policies.stop();
			services.stop();
			node.stop();
		}
	}

	private static <T extends HasMetadata> void create(Class<T> type, String yaml) {
		client.resource(client.getKubernetesSerialization().unmarshal(yaml, type)).create();
	}

}
