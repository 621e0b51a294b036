package io.jcilium.agent.k8s;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.common.label.Labels;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.engine.NamedPort;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.endpoint.PodMetadata;
import io.jcilium.agent.endpoint.PodMetadataSource;
import io.jcilium.agent.k8s.Recorders.RecordingPodListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pods and namespaces from the API server become the metadata endpoints take their
 * identity from, with the labels a pod must not set for itself taken from the real
 * namespace and service account, and listeners hear about every change that can move a
 * pod to another identity.
 */
@EnableKubernetesMockClient(crud = true)
class PodMetadataIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	static KubernetesClient client;

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	@Test
	void podLabelsBecomeSecurityLabelsWithoutTheReservedKeysThePodSetItself() {
		MockCluster.runner(client).run((context) -> {
			MockCluster.apply(client, "namespace-team-a.yaml", Namespace.class);
			MockCluster.apply(client, "pod-web-spoofing.yaml", Pod.class);
			MockCluster.apply(client, "pod-elsewhere.yaml", Pod.class);
			PodMetadataSource source = context.getBean(PodMetadataSource.class);
			RecordingPodListener listener = context.getBean(RecordingPodListener.class);

			// The informer fills its cache before it hands the event to the listeners, on
			// another thread: wait for both.
			Recorders.await(TIMEOUT,
					() -> source.find("team-a", "web").isPresent()
							&& labels(source, "team-a", "web").contains("k8s:io.cilium.k8s.namespace.labels.env=prod")
							&& listener.count("team-a/web") > 0,
					listener);
			PodMetadata web = source.find("team-a", "web").orElseThrow();
			assertThat(labels(web.securityLabels())).containsExactlyInAnyOrder("k8s:app=web", "k8s:tier=frontend",
					"k8s:io.kubernetes.pod.namespace=team-a",
					"k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=team-a",
					"k8s:io.cilium.k8s.namespace.labels.env=prod", "k8s:io.cilium.k8s.policy.serviceaccount=web-sa",
					"k8s:io.cilium.k8s.policy.cluster=test-cluster");
			assertThat(web.namedPorts()).containsExactly(new NamedPort("http", 8080, Protocol.TCP),
					new NamedPort("metrics", 9090, Protocol.TCP));
			assertThat(listener.count("team-a/web")).isPositive();
			// Only this node's pods are watched, as upstream's agent does.
			assertThat(source.find("team-a", "api")).isEmpty();
			assertThat(listener.count("team-a/api")).isZero();
			assertThat(source.find("team-a", "nobody")).isEmpty();
		});
	}

	@Test
	void namespaceAndPodLabelChangesNotifyListenersAndShowInTheMetadata() {
		MockCluster.runner(client).run((context) -> {
			client.namespaces()
				.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
					.withName("team-b")
					.withLabels(Map.of("env", "prod"))
					.endMetadata()
					.build())
				.create();
			Pod pod = client.getKubernetesSerialization()
				.unmarshal(MockCluster.manifest("pod-web-spoofing.yaml"), Pod.class);
			pod.getMetadata().setNamespace("team-b");
			client.resource(pod).create();
			PodMetadataSource source = context.getBean(PodMetadataSource.class);
			RecordingPodListener listener = context.getBean(RecordingPodListener.class);
			Recorders.await(TIMEOUT,
					() -> labels(source, "team-b", "web").contains("k8s:io.cilium.k8s.namespace.labels.env=prod"),
					listener);
			int before = listener.count("team-b/web");

			client.namespaces().withName("team-b").edit((ns) -> {
				ns.getMetadata().getLabels().put("env", "staging");
				return ns;
			});
			// Both the metadata and the announcement: the pod's own first announcement
			// (from another informer) may still be on its way.
			Recorders.await(TIMEOUT, () -> listener.count("team-b/web") > before
					&& labels(source, "team-b", "web").contains("k8s:io.cilium.k8s.namespace.labels.env=staging"),
					listener);
			assertThat(labels(source, "team-b", "web")).contains("k8s:io.cilium.k8s.namespace.labels.env=staging")
				.doesNotContain("k8s:io.cilium.k8s.namespace.labels.env=prod");

			int afterNamespace = listener.count("team-b/web");
			client.pods().inNamespace("team-b").withName("web").edit((p) -> {
				p.getMetadata().getLabels().put("tier", "backend");
				return p;
			});
			Recorders.await(TIMEOUT, () -> listener.count("team-b/web") > afterNamespace
					&& labels(source, "team-b", "web").contains("k8s:tier=backend"), listener);
			assertThat(labels(source, "team-b", "web")).contains("k8s:tier=backend")
				.doesNotContain("k8s:tier=frontend");

			// A change nothing of the identity depends on is not announced.
			int afterPod = listener.count("team-b/web");
			client.pods().inNamespace("team-b").withName("web").edit((p) -> {
				p.getMetadata().setAnnotations(Map.of("note", "irrelevant"));
				return p;
			});
			// The informer delivers in order: once a later label change is announced, the
			// annotation change before it was seen too.
			client.pods().inNamespace("team-b").withName("web").edit((p) -> {
				p.getMetadata().getLabels().put("tier", "cache");
				return p;
			});
			Recorders.await(TIMEOUT, () -> listener.count("team-b/web") > afterPod
					&& labels(source, "team-b", "web").contains("k8s:tier=cache"), listener);
			assertThat(listener.count("team-b/web")).as("only the label change announced").isEqualTo(afterPod + 1);
		});
	}

	private static List<String> labels(PodMetadataSource source, String namespace, String name) {
		return source.find(namespace, name).map((metadata) -> labels(metadata.securityLabels())).orElse(List.of());
	}

	private static List<String> labels(Labels labels) {
		return labels.toList().stream().map(Object::toString).toList();
	}

}
