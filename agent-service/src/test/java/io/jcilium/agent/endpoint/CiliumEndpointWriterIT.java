package io.jcilium.agent.endpoint;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.api.crd.v2.CiliumEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.agent.k8s.Recorders;
import io.jcilium.agent.k8s.RetryingWriter;
import io.jcilium.agent.node.NodeAddresses;

/**
 * Every local pod endpoint gets a {@code CiliumEndpoint} with upstream's status fields,
 * owned by its pod, rewritten as the endpoint changes and deleted with it.
 */
@EnableKubernetesMockClient(crud = true)
class CiliumEndpointWriterIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String CONTAINER = "5f3a0c1e9b7d";

	static KubernetesClient client;

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	@Test
	void ciliumEndpointFollowsTheEndpointAndGoesWithIt() {
		MockCluster.runner(client).run((context) -> {
			MockCluster.apply(client, "node-node-1.yaml", Node.class);
			Pod pod = MockCluster.apply(client, "pod-db.yaml", Pod.class);
			EndpointListener writer = context.getBean(EndpointListener.class);
			Recorders.await(TIMEOUT, () -> context.getBean(PodMetadataSource.class).find("default", "db").isPresent()
					&& !context.getBean(NodeAddresses.class).localAddresses().isEmpty(), "pod and node");

			writer.endpointChanged(status("waiting-for-identity", 0));
			Recorders.await(TIMEOUT, () -> "waiting-for-identity".equals(state("db")), "created");
			assertThat(cep("db").getStatus().identity).isNull();

			writer.endpointChanged(status("ready", 4242));
			Recorders.await(TIMEOUT, () -> "ready".equals(state("db")), "ready");
			CiliumEndpoint cep = cep("db");
			OwnerReference owner = cep.getMetadata().getOwnerReferences().get(0);
			assertThat(owner.getKind()).isEqualTo("Pod");
			assertThat(owner.getApiVersion()).isEqualTo("v1");
			assertThat(owner.getName()).isEqualTo("db");
			assertThat(owner.getUid()).isEqualTo(pod.getMetadata().getUid());
			CiliumEndpoint.Status status = cep.getStatus();
			assertThat(status.id).isEqualTo(7L);
			assertThat(status.identity.id).isEqualTo(4242L);
			assertThat(status.identity.labels).contains("k8s:app=db", "k8s:io.kubernetes.pod.namespace=default",
					"k8s:io.cilium.k8s.policy.serviceaccount=db-sa");
			assertThat(status.networking.addressing).singleElement()
				.satisfies((pair) -> assertThat(pair.ipv4).isEqualTo("10.0.1.7"));
			assertThat(status.networking.node).isEqualTo("192.168.56.11");
			assertThat(status.namedPorts).singleElement().satisfies((port) -> {
				assertThat(port.name).isEqualTo("postgres");
				assertThat(port.port).isEqualTo(5432);
				assertThat(port.protocol).isEqualTo("TCP");
			});
			assertThat(status.externalIdentifiers.containerId).isEqualTo(CONTAINER);
			assertThat(status.externalIdentifiers.podName).isEqualTo("default/db");
			assertThat(status.externalIdentifiers.cniAttachmentId).isEqualTo(CONTAINER + ":eth0");
			assertThat(status.serviceAccount).isEqualTo("db-sa");

			writer.endpointRemoved(status("disconnecting", 4242));
			Recorders.await(TIMEOUT, () -> cep("db") == null, "deleted");
		});
	}

	@Test
	void endpointOfAPodNotYetSeenIsWrittenWhenThePodAppears() {
		MockCluster.runner(client).run((context) -> {
			EndpointListener writer = context.getBean(EndpointListener.class);
			Pod pod = client.getKubernetesSerialization().unmarshal(MockCluster.manifest("pod-db.yaml"), Pod.class);
			pod.getMetadata().setName("late");

			writer.endpointChanged(new EndpointStatus(8, CONTAINER, "eth0", "lxc0late", 12, "default", "late",
					"10.0.1.8", 0, "waiting-for-identity", "endpoint created"));
			// The write was queued at once; the queue empties only once it has run.
			RetryingWriter queue = context.getBean(RetryingWriter.class);
			Recorders.await(TIMEOUT, () -> queue.pending() == 0, "the write attempt ran");
			assertThat(cep("late")).isNull();

			Pod created = client.resource(pod).create();
			Recorders.await(TIMEOUT, () -> cep("late") != null, "written after the pod appeared");
			assertThat(cep("late").getMetadata().getOwnerReferences().get(0).getUid())
				.isEqualTo(created.getMetadata().getUid());
		});
	}

	private static EndpointStatus status(String state, long identity) {
		return new EndpointStatus(7, CONTAINER, "eth0", "lxc0db", 11, "default", "db", "10.0.1.7", identity, state,
				"test");
	}

	private static CiliumEndpoint cep(String name) {
		return client.resources(CiliumEndpoint.class).inNamespace("default").withName(name).get();
	}

	private static String state(String name) {
		CiliumEndpoint cep = cep(name);
		return (cep != null && cep.getStatus() != null) ? cep.getStatus().state : null;
	}

}
