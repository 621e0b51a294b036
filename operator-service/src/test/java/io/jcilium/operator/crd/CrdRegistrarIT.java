package io.jcilium.operator.crd;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.operator.k8s.MockApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registering the CRDs generated into the api jar against fabric8's CRUD mock server.
 */
@EnableKubernetesMockClient(crud = true)
class CrdRegistrarIT {

	static KubernetesClient client;

	/** The operator's own client, whose calls are recorded for the chart's RBAC check. */
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

	@AfterEach
	void clean() {
		client.apiextensions().v1().customResourceDefinitions().delete();
	}

	private static List<CustomResourceDefinition> bundled() throws IOException {
		List<InputStream> streams = new ArrayList<>();
		for (Resource resource : new PathMatchingResourcePatternResolver()
			.getResources("classpath*:META-INF/fabric8/*.cilium.io-v1.yml")) {
			streams.add(resource.getInputStream());
		}
		return CrdRegistrar.read(operator, streams);
	}

	@Test
	void missingCrdsAreRegisteredOnceAndAgainOnlyWhenTheBundledSchemaIsNewer() throws IOException {
		List<CustomResourceDefinition> crds = bundled();
		assertThat(crds).extracting((crd) -> crd.getMetadata().getName())
			.contains("ciliumnodes.cilium.io", "ciliumloadbalancerippools.cilium.io",
					"ciliumnetworkpolicies.cilium.io");

		List<String> first = new CrdRegistrar(operator, crds, "1.2.0").register();
		assertThat(first).hasSize(crds.size());
		CustomResourceDefinition stored = client.apiextensions()
			.v1()
			.customResourceDefinitions()
			.withName("ciliumnodes.cilium.io")
			.get();
		assertThat(stored.getSpec().getGroup()).isEqualTo("cilium.io");
		assertThat(stored.getMetadata().getLabels()).containsEntry(CrdRegistrar.SCHEMA_VERSION_LABEL, "1.2.0");

		assertThat(new CrdRegistrar(operator, crds, "1.2.0").register()).isEmpty();
		assertThat(new CrdRegistrar(operator, crds, "1.1.9").register()).as("an older operator downgrades nothing")
			.isEmpty();
		assertThat(new CrdRegistrar(operator, crds, "1.10.0").register()).hasSize(crds.size());
	}

	@Test
	void crdWithoutSchemaVersionIsReplaced() throws IOException {
		List<CustomResourceDefinition> crds = bundled();
		CustomResourceDefinition old = client.getKubernetesSerialization()
			.clone(crds.stream().filter((c) -> c.getMetadata().getName().startsWith("ciliumnodes.")).findFirst().get());
		old.getMetadata().setLabels(Map.of());
		old.getSpec().getVersions().removeIf((v) -> !v.getStorage());
		client.apiextensions().v1().customResourceDefinitions().resource(old).create();
		assertThat(new CrdRegistrar(operator, crds, "1.0.0").register()).contains("ciliumnodes.cilium.io");
		assertThat(client.apiextensions()
			.v1()
			.customResourceDefinitions()
			.withName("ciliumnodes.cilium.io")
			.get()
			.getMetadata()
			.getLabels()).containsEntry(CrdRegistrar.SCHEMA_VERSION_LABEL, "1.0.0");
	}

	@Test
	void versionsCompareNumerically() {
		assertThat(CrdRegistrar.compareVersions("1.10.0", "1.9.3")).isPositive();
		assertThat(CrdRegistrar.compareVersions("1.2", "1.2.0")).isZero();
		assertThat(CrdRegistrar.compareVersions(null, "0.0.1")).isNegative();
		assertThat(CrdRegistrar.compareVersions("garbage", "0.0.1")).isNegative();
	}

}
