package io.jcilium.operator.endpointgc;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.operator.k8s.MockApi;
import io.jcilium.operator.k8s.SharedInformers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CiliumEndpoint garbage collection against fabric8's CRUD mock API server.
 */
@EnableKubernetesMockClient(crud = true)
class EndpointGcControllerIT {

	static KubernetesClient client;

	/** The operator's own client, whose calls are recorded for the chart's RBAC check. */
	static KubernetesClient operator;

	private static final ResourceDefinitionContext ENDPOINTS = new ResourceDefinitionContext.Builder()
		.withGroup("cilium.io")
		.withVersion("v2")
		.withKind("CiliumEndpoint")
		.withPlural("ciliumendpoints")
		.withNamespaced(true)
		.build();

	private EndpointGcController controller;

	@BeforeAll
	static void warmUp() {
		MockApi.warmUp(client);
		operator = MockApi.operatorClient(client);
	}

	@AfterAll
	static void closeOperatorClient() {
		operator.close();
	}

	@AfterEach
	void stop() {
		if (this.controller != null) {
			this.controller.stopLeading();
		}
		client.pods().inAnyNamespace().delete();
		client.genericKubernetesResources(ENDPOINTS).inAnyNamespace().delete();
	}

	@Test
	void endpointsOfGoneOrReplacedPodsAreDeletedAndLiveOnesKept() {
		Pod live = createPod("live");
		endpoint("live", live.getMetadata().getUid());
		endpoint("orphan", null);
		createPod("replaced");
		endpoint("replaced", "uid-of-an-earlier-pod");
		this.controller = new EndpointGcController(operator, new SharedInformers(operator), "cilium.io/v2",
				Duration.ofSeconds(1));
		this.controller.startLeading();
		await(() -> !exists("orphan") && !exists("replaced"));
		assertThat(exists("live")).isTrue();

		client.pods().inNamespace("default").withName("live").delete();
		await(() -> !exists("live"));
	}

	private static Pod createPod(String name) {
		return client.pods()
			.inNamespace("default")
			.resource(new PodBuilder().withNewMetadata()
				.withName(name)
				.endMetadata()
				.withNewSpec()
				.addNewContainer()
				.withName("app")
				.withImage("busybox")
				.endContainer()
				.endSpec()
				.build())
			.create();
	}

	private static void endpoint(String name, String podUid) {
		ObjectMetaBuilder meta = new ObjectMetaBuilder().withName(name).withNamespace("default");
		if (podUid != null) {
			meta.addNewOwnerReference()
				.withApiVersion("v1")
				.withKind("Pod")
				.withName(name)
				.withUid(podUid)
				.endOwnerReference();
		}
		GenericKubernetesResource endpoint = new GenericKubernetesResourceBuilder().withApiVersion("cilium.io/v2")
			.withKind("CiliumEndpoint")
			.withMetadata(meta.build())
			.addToAdditionalProperties("status", Map.of("id", 1))
			.build();
		client.genericKubernetesResources(ENDPOINTS).inNamespace("default").resource(endpoint).create();
	}

	private static boolean exists(String name) {
		return client.genericKubernetesResources(ENDPOINTS).inNamespace("default").withName(name).get() != null;
	}

	private static void await(BooleanSupplier condition) {
		MockApi.await(Duration.ofSeconds(30), condition);
	}

}
