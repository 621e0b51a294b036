package io.jcilium.operator.k8s;

import java.time.Duration;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's client reading Pod events as generic resources, against fabric8's CRUD
 * mock API server: its slim pod informer caches a pod listed before the start and one
 * that arrives by a watch event as their identity only, and a typed Pod informer on the
 * same client still gets whole Pods (nothing is lost by the mapping).
 */
@EnableKubernetesMockClient(crud = true)
class PodEventsIT {

	static KubernetesClient client;

	static KubernetesClient operator;

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
	void slimInformerCachesIdentityOnlyAndTypedInformerStillSeesWholePods() {
		Pod listed = createPod("listed");
		try (SharedIndexInformer<GenericKubernetesResource> slim = operator.genericKubernetesResources(CachedForms.PODS)
			.inAnyNamespace()
			.runnableInformer(0)
			.itemStore(new SlimStore<>(CachedForms::pod));
				SharedIndexInformer<Pod> typed = operator.pods().inAnyNamespace().inform()) {
			slim.start();
			MockApi.await(Duration.ofSeconds(30), slim::hasSynced);
			Pod watched = createPod("watched");

			GenericKubernetesResource cached = MockApi.awaitValue(Duration.ofSeconds(30),
					() -> slim.getStore().getByKey("default/watched"));
			assertThat(cached.getMetadata().getUid()).isEqualTo(watched.getMetadata().getUid());
			assertThat(cached.getAdditionalProperties()).isEmpty();
			assertThat(slim.getStore().getByKey("default/listed").getMetadata().getUid())
				.isEqualTo(listed.getMetadata().getUid());
			assertThat(slim.getStore().getByKey("default/listed").getAdditionalProperties()).isEmpty();

			Pod whole = MockApi.awaitValue(Duration.ofSeconds(30), () -> typed.getStore().getByKey("default/watched"));
			assertThat(whole.getSpec().getNodeName()).isEqualTo("node-1");
			assertThat(whole.getSpec().getContainers()).singleElement()
				.satisfies((container) -> assertThat(container.getImage()).isEqualTo("registry.example.com/web:1"));
		}
		finally {
			client.pods().inAnyNamespace().delete();
		}
	}

	@Test
	void watchEventsOfPodsAreGenericOnTheOperatorsClient() {
		Object read = operator.getKubernetesSerialization()
			.unmarshal(
					"{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n\"}}");
		assertThat(read).isInstanceOfSatisfying(GenericKubernetesResource.class,
				(pod) -> assertThat(pod.getAdditionalProperties()).isEqualTo(Map.of("spec", Map.of("nodeName", "n"))));
	}

	private static Pod createPod(String name) {
		return client.pods()
			.inNamespace("default")
			.resource(new PodBuilder().withNewMetadata()
				.withName(name)
				.addToLabels("app", "web")
				.endMetadata()
				.withNewSpec()
				.withNodeName("node-1")
				.addNewContainer()
				.withName("web")
				.withImage("registry.example.com/web:1")
				.endContainer()
				.endSpec()
				.build())
			.create();
	}

}
