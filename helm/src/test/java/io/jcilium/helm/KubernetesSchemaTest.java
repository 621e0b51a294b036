package io.jcilium.helm;

import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rendered object binds to its Kubernetes model class with no field left over: helm
 * lint checks YAML and templates, not that a field exists where it was written.
 */
class KubernetesSchemaTest {

	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	/**
	 * The kinds the chart renders. Binding to the class directly skips fabric8's scan of
	 * every model class for the kind, which costs seconds; a new kind fails here until it
	 * is added.
	 */
	private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
			Map.entry("ServiceAccount", ServiceAccount.class), Map.entry("ConfigMap", ConfigMap.class),
			Map.entry("Secret", Secret.class), Map.entry("Service", Service.class),
			Map.entry("PersistentVolumeClaim", PersistentVolumeClaim.class), Map.entry("Deployment", Deployment.class),
			Map.entry("DaemonSet", DaemonSet.class), Map.entry("NetworkPolicy", NetworkPolicy.class),
			Map.entry("ClusterRole", ClusterRole.class), Map.entry("ClusterRoleBinding", ClusterRoleBinding.class),
			Map.entry("Role", Role.class), Map.entry("RoleBinding", RoleBinding.class),
			Map.entry("PodDisruptionBudget", PodDisruptionBudget.class));

	static Stream<Arguments> valueSets() {
		return Stream.of(
				Arguments.of("every service, persistent redis",
						Map.of("bgpControlPlane.enabled", true, "redis.persistence.enabled", true)),
				Arguments.of("redis over TLS, no persistence",
						Map.of("global.redis.tls.enabled", true, "global.redis.tls.existingSecret", "redis-tls",
								"redis.persistence.enabled", false)),
				Arguments.of("external redis with a password, no cni install",
						Map.of("redis.enabled", false, "global.redis.host", "redis.example.internal",
								"global.redis.existingSecret", "redis-auth", "agent.cni.install", false)),
				Arguments.of("privileged agent, no datapath, no identity gc",
						Map.of("agent.securityContext.privileged", true, "agent.datapath.enabled", false, "routingMode",
								"native", "operator.identityGc.enabled", false)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void everyObjectIsAKnownKindWithOnlyKnownFields(String description, Map<String, Object> values) {
		RenderedChart chart = RenderedChart.render(values);
		assertThat(chart.all()).isNotEmpty();

		for (Map<String, Object> object : chart.all()) {
			String yaml = new Yaml(new LoaderOptions()).dump(object);
			String what = object.get("kind") + "/" + RenderedChart.name(object);
			assertThat(KINDS).as("model class for %s", what).containsKey((String) object.get("kind"));

			HasMetadata typed = SERIALIZATION.unmarshal(yaml, KINDS.get(object.get("kind")));
			assertThat(typed.getApiVersion()).as(what).isEqualTo(object.get("apiVersion"));
			assertThat(UnknownFields.in(typed)).as("unknown fields in %s", what).isEmpty();
		}
	}

}
