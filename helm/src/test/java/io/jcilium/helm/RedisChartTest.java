package io.jcilium.helm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.jcilium.helm.YamlPath.at;
import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.map;
import static io.jcilium.helm.YamlPath.named;
import static io.jcilium.helm.YamlPath.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The bundled Redis keeps and protects the cluster's state: a password from a Secret that
 * Redis requires and both of its clients send, its data on a PersistentVolumeClaim, a
 * NetworkPolicy that admits only identity-service and ipam-service, and TLS on request.
 */
class RedisChartTest {

	private static RenderedChart chart;

	@BeforeAll
	static void render() {
		chart = RenderedChart.render(Map.of("bgpControlPlane.enabled", true));
	}

	@Test
	void redisRequiresTheGeneratedPasswordAndBothClientsSendIt() {
		Map<String, Object> secret = chart.get("Secret", "jcilium-redis");
		String password = new String(Base64.getDecoder().decode((String) at(secret, "data.redis-password")),
				StandardCharsets.UTF_8);
		assertThat(password).hasSize(32).matches("[A-Za-z0-9]+");

		Map<String, Object> redis = container("redis");
		// ps shows every process's arguments to every user of the node: the password must
		// be in none, neither as text nor as a $(VAR) Kubernetes would expand into it.
		List<String> commandLine = new ArrayList<>(strings(redis, "command"));
		commandLine.addAll(strings(redis, "args"));
		assertThat(commandLine).noneMatch((arg) -> arg.contains(password))
			.noneMatch((arg) -> arg.contains("$(REDIS_PASSWORD)") || arg.contains("$(REDISCLI_AUTH)"))
			.doesNotContain("--requirepass");
		assertThat(strings(redis, "command").get(2)).contains("exec redis-server - \"$@\"");
		assertSecretRef(named(list(redis, "env"), "REDIS_PASSWORD"), "jcilium-redis", "redis-password");
		assertSecretRef(named(list(redis, "env"), "REDISCLI_AUTH"), "jcilium-redis", "redis-password");
		for (String client : List.of("identity", "ipam")) {
			assertSecretRef(named(list(container(client), "env"), "SPRING_DATA_REDIS_PASSWORD"), "jcilium-redis",
					"redis-password");
		}
	}

	@Test
	void anExistingSecretServesTheBundledRedisAndNoPasswordIsGenerated() {
		RenderedChart own = RenderedChart.render(
				Map.of("global.redis.existingSecret", "redis-auth", "global.redis.existingSecretPasswordKey", "pw"));

		assertThat(own.names("Secret")).doesNotContain("jcilium-redis");
		Map<String, Object> redis = own.ofService("redis")
			.stream()
			.filter((object) -> "Deployment".equals(object.get("kind")))
			.findFirst()
			.orElseThrow();
		Map<String, Object> container = list(redis, "spec.template.spec.containers").get(0);
		assertSecretRef(named(list(container, "env"), "REDIS_PASSWORD"), "redis-auth", "pw");
		Map<String, Object> ipam = list(own.get("Deployment", "jcilium-ipam"), "spec.template.spec.containers").get(0);
		assertSecretRef(named(list(ipam, "env"), "SPRING_DATA_REDIS_PASSWORD"), "redis-auth", "pw");
	}

	@Test
	void redisDataLivesOnAPersistentVolumeClaimByDefault() {
		Map<String, Object> claim = chart.get("PersistentVolumeClaim", "jcilium-redis");
		assertThat(strings(claim, "spec.accessModes")).containsExactly("ReadWriteOnce");
		assertThat(at(claim, "spec.resources.requests.storage")).isEqualTo("1Gi");

		Map<String, Object> pod = map(chart.get("Deployment", "jcilium-redis"), "spec.template.spec");
		assertThat(at(named(list(pod, "volumes"), "data"), "persistentVolumeClaim.claimName"))
			.isEqualTo("jcilium-redis");
		assertThat(named(list(container("redis"), "volumeMounts"), "data")).containsEntry("mountPath", "/data");
	}

	@Test
	void theNetworkPolicyGuardsTheRedisPodsPort() {
		Map<String, Object> policy = chart.get("NetworkPolicy", "jcilium-redis");
		Map<String, Object> redisPod = map(chart.get("Deployment", "jcilium-redis"), "spec.template.metadata.labels");

		assertThat(LabelSelectors.matches(map(policy, "spec.podSelector"), redisPod)).isTrue();
		assertThat(strings(policy, "spec.policyTypes")).containsExactly("Ingress");
		List<Map<String, Object>> ingress = list(policy, "spec.ingress");
		assertThat(ingress).hasSize(1);
		Map<String, Object> port = list(ingress.get(0), "ports").get(0);
		assertThat(port).containsEntry("protocol", "TCP");
		assertThat(named(list(container("redis"), "ports"), (String) port.get("port"))).containsEntry("containerPort",
				6379);
	}

	@ParameterizedTest(name = "the NetworkPolicy admits {0}")
	@ValueSource(strings = { "identity", "ipam" })
	void theNetworkPolicyAdmitsTheStateServices(String service) {
		assertThat(admitted(podLabels("Deployment", service))).isTrue();
	}

	@Test
	void theNetworkPolicyRefusesEveryOtherPod() {
		assertThat(admitted(podLabels("DaemonSet", "agent"))).isFalse();
		assertThat(admitted(podLabels("DaemonSet", "bgp"))).isFalse();
		assertThat(admitted(podLabels("Deployment", "operator"))).isFalse();
		assertThat(admitted(podLabels("Deployment", "relay"))).isFalse();
		// A pod that copies identity's name label from another release is not ours.
		assertThat(admitted(Map.of("app.kubernetes.io/name", "identity", "app.kubernetes.io/instance", "other")))
			.isFalse();
		assertThat(admitted(Map.of("run", "attacker"))).isFalse();
	}

	@Test
	void withTlsRedisClosesItsPlainPortAndTheClientsVerifyItsCertificate() {
		RenderedChart tls = RenderedChart
			.render(Map.of("global.redis.tls.enabled", true, "global.redis.tls.existingSecret", "redis-tls"));

		Map<String, Object> redisPod = map(tls.get("Deployment", "jcilium-redis"), "spec.template.spec");
		List<String> args = strings(list(redisPod, "containers").get(0), "args");
		assertThat(args).containsSubsequence("--port", "0")
			.containsSubsequence("--tls-port", "6379")
			.containsSubsequence("--tls-cert-file", "/tls/tls.crt")
			.containsSubsequence("--tls-key-file", "/tls/tls.key");
		assertThat(at(named(list(redisPod, "volumes"), "tls"), "secret.secretName")).isEqualTo("redis-tls");
		for (String client : List.of("identity", "ipam")) {
			Map<String, Object> config = ServiceConfig.of(tls, client);
			assertThat(at(config, "spring.data.redis.ssl.enabled")).isEqualTo(true);
			assertThat(at(config, "spring.data.redis.ssl.bundle")).isEqualTo("redis");
			assertThat(at(config, "spring.ssl.bundle.pem.redis.truststore.certificate"))
				.isEqualTo("file:/etc/jcilium/redis-tls/ca.crt");
			Map<String, Object> pod = map(tls.get("Deployment", "jcilium-" + client), "spec.template.spec");
			assertThat(at(named(list(pod, "volumes"), "redis-tls"), "secret.secretName")).isEqualTo("redis-tls");
			assertThat(named(list(list(pod, "containers").get(0), "volumeMounts"), "redis-tls"))
				.containsEntry("mountPath", "/etc/jcilium/redis-tls");
		}
		assertThat(at(ServiceConfig.of(chart, "identity"), "spring.data.redis.ssl")).isNull();
	}

	@Test
	void tlsWithoutACertificateSecretFailsSayingWhatToSet() {
		assertThatIllegalStateException()
			.isThrownBy(() -> RenderedChart.render(Map.of("global.redis.tls.enabled", true)))
			.withMessageContaining("needs global.redis.tls.existingSecret");
	}

	private static boolean admitted(Map<String, Object> podLabels) {
		Map<String, Object> policy = chart.get("NetworkPolicy", "jcilium-redis");
		for (Map<String, Object> peer : list(list(policy, "spec.ingress").get(0), "from")) {
			if (peer.containsKey("namespaceSelector") || peer.containsKey("ipBlock")) {
				throw new AssertionError("only pod selectors of the release's namespace expected: " + peer);
			}
			if (LabelSelectors.matches(map(peer, "podSelector"), podLabels)) {
				return true;
			}
		}
		return false;
	}

	private static Map<String, Object> podLabels(String kind, String service) {
		return map(chart.get(kind, "jcilium-" + service), "spec.template.metadata.labels");
	}

	private static Map<String, Object> container(String service) {
		return list(chart.get("Deployment", "jcilium-" + service), "spec.template.spec.containers").get(0);
	}

	private static void assertSecretRef(Map<String, Object> env, String secret, String key) {
		assertThat(at(env, "valueFrom.secretKeyRef.name")).as("%s", env).isEqualTo(secret);
		assertThat(at(env, "valueFrom.secretKeyRef.key")).as("%s", env).isEqualTo(key);
	}

}
