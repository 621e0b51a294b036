package io.jcilium.operator.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cut forms keep what the controllers read and drop the rest; and how much heap a
 * cache of 1,000 realistic pods holds in each form (printed: a measurement, not a check).
 */
class CachedFormsTest {

	private static final KubernetesSerialization serialization = new KubernetesSerialization();

	@Test
	void podKeepsItsIdentityOnly() throws IOException {
		GenericKubernetesResource pod = serialization.unmarshal(podJson(1), GenericKubernetesResource.class);

		GenericKubernetesResource cut = CachedForms.pod(pod);

		assertThat(cut.getMetadata().getNamespace()).isEqualTo("shop");
		assertThat(cut.getMetadata().getName()).isEqualTo("web-1");
		assertThat(cut.getMetadata().getUid()).isEqualTo("uid-1");
		assertThat(cut.getMetadata().getResourceVersion()).isEqualTo("1001");
		assertThat(cut.getAdditionalProperties()).isEmpty();
		assertThat(cut.getMetadata().getManagedFields()).isNullOrEmpty();
		assertThat(cut.getMetadata().getLabels()).isNullOrEmpty();
		// The event's object is left as it came: handlers see it whole.
		assertThat(pod.getAdditionalProperties()).containsKeys("spec", "status");
	}

	@Test
	void ciliumEndpointKeepsOwnersAndIdentity() {
		GenericKubernetesResource endpoint = new GenericKubernetesResourceBuilder().withApiVersion("cilium.io/v2")
			.withKind("CiliumEndpoint")
			.withNewMetadata()
			.withNamespace("shop")
			.withName("web-1")
			.withUid("cep-uid")
			.withResourceVersion("7")
			.addNewOwnerReference()
			.withKind("Pod")
			.withName("web-1")
			.withUid("pod-uid")
			.endOwnerReference()
			.addToLabels("app", "web")
			.endMetadata()
			.addToAdditionalProperties("status",
					Map.of("identity", Map.of("id", 4711, "labels", List.of("k8s:app=web")), "networking",
							Map.of("addressing", List.of(Map.of("ipv4", "10.0.0.1")), "node", "10.1.0.1")))
			.build();

		GenericKubernetesResource cut = CachedForms.ciliumEndpoint(endpoint);

		assertThat(cut.getMetadata().getName()).isEqualTo("web-1");
		assertThat(cut.getMetadata().getResourceVersion()).isEqualTo("7");
		assertThat(cut.getMetadata().getOwnerReferences()).singleElement()
			.satisfies((owner) -> assertThat(owner.getUid()).isEqualTo("pod-uid"));
		assertThat(cut.getAdditionalProperties()).isEqualTo(Map.of("status", Map.of("identity", Map.of("id", 4711))));
		assertThat(CachedForms
			.ciliumEndpoint(
					new GenericKubernetesResourceBuilder().withNewMetadata().withName("new").endMetadata().build())
			.getAdditionalProperties()).isEmpty();
	}

	@Test
	void nodeKeepsNameAndAddresses() {
		Node node = new NodeBuilder().withNewMetadata()
			.withName("node-7")
			.withResourceVersion("9")
			.addToLabels("kubernetes.io/os", "linux")
			.endMetadata()
			.withNewSpec()
			.withPodCIDR("10.244.7.0/24")
			.endSpec()
			.withNewStatus()
			.addNewAddress("10.0.0.7", "InternalIP")
			.addNewAddress("node-7", "Hostname")
			.addNewImage()
			.withNames("registry.example.com/shop/web:1.42.0")
			.withSizeBytes(123456789L)
			.endImage()
			.endStatus()
			.build();

		Node cut = CachedForms.node(node);

		assertThat(cut.getMetadata().getName()).isEqualTo("node-7");
		assertThat(cut.getMetadata().getResourceVersion()).isEqualTo("9");
		assertThat(cut.getStatus().getAddresses()).isEqualTo(node.getStatus().getAddresses());
		assertThat(cut.getStatus().getImages()).isNullOrEmpty();
		assertThat(cut.getSpec()).isNull();
		assertThat(CachedForms.node(new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build())
			.getStatus()).isNull();
	}

	@Test
	void heapHeldByAThousandCachedPods() throws IOException {
		int pods = 1000;
		List<String> json = new ArrayList<>();
		for (int i = 0; i < pods; i++) {
			json.add(podJson(i));
		}
		// Warm both paths so that class loading is not counted.
		heldBytes(json.subList(0, 10), (text) -> serialization.unmarshal(text, Pod.class));
		heldBytes(json.subList(0, 10),
				(text) -> CachedForms.pod(serialization.unmarshal(text, GenericKubernetesResource.class)));

		long typed = heldBytes(json, (text) -> serialization.unmarshal(text, Pod.class));
		long cut = heldBytes(json,
				(text) -> CachedForms.pod(serialization.unmarshal(text, GenericKubernetesResource.class)));

		System.out.printf("heap held by %d cached pods (%d bytes of JSON each): typed Pod %d KiB, cut form %d KiB,"
				+ " ratio %.1f%n", pods, json.get(0).length(), typed / 1024, cut / 1024, (double) typed / cut);
		assertThat(pods).isPositive();
	}

	// What one duplicate informer cache held before the operator shared its informers: a
	// cut copy of every Node (name, UID, addresses) and of every CiliumEndpoint
	// (identity,
	// owner, identity number).
	@Test
	void heapHeldByAThousandCutNodesAndEndpoints() {
		List<String> indexes = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			indexes.add(Integer.toString(i));
		}
		heldBytes(indexes.subList(0, 10), CachedFormsTest::cutNode);
		heldBytes(indexes.subList(0, 10), CachedFormsTest::cutEndpoint);

		long nodes = heldBytes(indexes, CachedFormsTest::cutNode);
		long endpoints = heldBytes(indexes, CachedFormsTest::cutEndpoint);

		System.out.printf("heap held by 1000 cut Nodes %d KiB, by 1000 cut CiliumEndpoints %d KiB%n", nodes / 1024,
				endpoints / 1024);
		assertThat(indexes).hasSize(1000);
	}

	private static Node cutNode(String index) {
		return CachedForms.node(new NodeBuilder().withNewMetadata()
			.withName("node-" + index)
			.withUid("00000000-0000-0000-0000-00000000" + (1000 + Integer.parseInt(index)))
			.withResourceVersion("9" + index)
			.endMetadata()
			.withNewStatus()
			.addNewAddress("10.0." + (Integer.parseInt(index) / 250) + "." + (Integer.parseInt(index) % 250),
					"InternalIP")
			.addNewAddress("node-" + index, "Hostname")
			.endStatus()
			.build());
	}

	private static GenericKubernetesResource cutEndpoint(String index) {
		return CachedForms.ciliumEndpoint(new GenericKubernetesResourceBuilder().withApiVersion("cilium.io/v2")
			.withKind("CiliumEndpoint")
			.withNewMetadata()
			.withNamespace("shop")
			.withName("web-" + index)
			.withUid("00000000-0000-0000-0000-00000001" + (1000 + Integer.parseInt(index)))
			.withResourceVersion("7" + index)
			.addNewOwnerReference()
			.withApiVersion("v1")
			.withKind("Pod")
			.withName("web-" + index)
			.withUid("00000000-0000-0000-0000-00000002" + (1000 + Integer.parseInt(index)))
			.endOwnerReference()
			.endMetadata()
			.addToAdditionalProperties("status", Map.of("identity", Map.of("id", 40000 + Integer.parseInt(index))))
			.build());
	}

	// Heap still in use after a full collection while the parsed objects are reachable,
	// minus what was in use before: what a cache of them holds.
	private static long heldBytes(List<String> json, Function<String, Object> parse) {
		long before = usedAfterGc();
		List<Object> cache = new ArrayList<>(json.size());
		for (String text : json) {
			cache.add(parse.apply(text));
		}
		long after = usedAfterGc();
		Reference.reachabilityFence(cache);
		return after - before;
	}

	private static long usedAfterGc() {
		Runtime runtime = Runtime.getRuntime();
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return runtime.totalMemory() - runtime.freeMemory();
	}

	private static String podJson(int index) throws IOException {
		try (InputStream stream = CachedFormsTest.class.getResourceAsStream("/k8s/pod.json")) {
			return new String(stream.readAllBytes(), StandardCharsets.UTF_8).replace("NAME", Integer.toString(index))
				.replace("\"UID\"", "\"uid-" + index + "\"")
				.replace("\"RV\"", "\"" + (1000 + index) + "\"")
				.replace("IP\"", (index % 250) + "\"");
		}
	}

}
