package io.jcilium.helm;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.jcilium.helm.YamlPath.at;
import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What a user sets in values shows up in the objects, and a disabled service leaves
 * nothing behind.
 */
class ValuesTest {

	private static RenderedChart allEnabled;

	@BeforeAll
	static void render() {
		allEnabled = RenderedChart.render(Map.of("bgpControlPlane.enabled", true));
	}

	@ParameterizedTest(name = "{0} switched off removes every {0} object and nothing else")
	@ValueSource(strings = { "agent", "operator", "identity", "ipam", "bgp", "relay", "redis" })
	void disablingAServiceRemovesAllItsObjects(String service) {
		Map<String, Object> values = new HashMap<>(Map.of("bgpControlPlane.enabled", true));
		// bgp and relay are switched by upstream's values.
		values.put(switchOf(service), false);
		if (service.equals("redis")) {
			values.put("global.redis.host", "redis.example.internal");
		}
		RenderedChart enabled = allEnabled;
		RenderedChart disabled = RenderedChart.render(values);

		Set<String> serviceObjects = keys(enabled.ofService(service));
		assertThat(serviceObjects).isNotEmpty();
		Set<String> expected = new HashSet<>(keys(enabled.all()));
		expected.removeAll(serviceObjects);
		assertThat(keys(disabled.all())).isEqualTo(expected);
	}

	@Test
	void imageTagAndReplicasOverridesReachTheWorkloads() {
		RenderedChart chart = RenderedChart.render(Map.of("identity.image.tag", "0.2.0-rc1", "operator.replicas", 3,
				"agent.image.repository", "registry.example.internal/jcilium/agent-service"));

		assertThat(at(container(chart, "Deployment", "identity"), "image"))
			.isEqualTo("jcilium/identity-service:0.2.0-rc1");
		assertThat(at(chart.get("Deployment", "jcilium-operator"), "spec.replicas")).isEqualTo(3);
		assertThat(at(container(chart, "DaemonSet", "agent"), "image"))
			.isEqualTo("registry.example.internal/jcilium/agent-service:0.1.0");
		assertThat(at(container(chart, "Deployment", "ipam"), "image")).isEqualTo("jcilium/ipam-service:0.1.0");
	}

	@Test
	void servicesFindEachOtherThroughTheRenderedSpringConfig() {
		RenderedChart chart = RenderedChart.renderDefaults();

		for (String client : new String[] { "agent", "operator" }) {
			Map<String, Object> config = ServiceConfig.of(chart, client);
			assertThat(at(config, "spring.grpc.client.channels.identity.address"))
				.isEqualTo("static://jcilium-identity:9281");
			assertThat(at(config, "spring.grpc.client.channels.ipam.address")).isEqualTo("static://jcilium-ipam:9282");
		}
		for (String store : new String[] { "identity", "ipam" }) {
			Map<String, Object> config = ServiceConfig.of(chart, store);
			assertThat(at(config, "spring.data.redis.host")).isEqualTo("jcilium-redis");
			assertThat(at(config, "spring.data.redis.port")).isEqualTo(6379);
		}
		assertThat(at(ServiceConfig.of(chart, "agent"), "spring.grpc.server.port")).isEqualTo(4244);
		// Each agent announces its peers at the port the agents serve Hubble on.
		assertThat(at(ServiceConfig.of(chart, "agent"), "jcilium.agent.hubble.peer.port")).isEqualTo(4244);
		assertThat(at(ServiceConfig.of(chart, "relay"), "spring.grpc.client.channels.hubble-peer.address"))
			.isEqualTo("static://jcilium-hubble-peer:80");
		assertThat(at(ServiceConfig.of(chart, "operator"), "jcilium.operator.election.namespace"))
			.isEqualTo(RenderedChart.NAMESPACE);
	}

	@Test
	void externalRedisReplacesTheBundledOneAndItsPasswordComesFromASecret() {
		RenderedChart chart = RenderedChart.render(Map.of("redis.enabled", false, "global.redis.host",
				"redis.example.internal", "global.redis.port", 6380, "global.redis.existingSecret", "redis-auth"));

		assertThat(chart.ofService("redis")).isEmpty();
		Map<String, Object> config = ServiceConfig.of(chart, "identity");
		assertThat(at(config, "spring.data.redis.host")).isEqualTo("redis.example.internal");
		assertThat(at(config, "spring.data.redis.port")).isEqualTo(6380);
		Map<String, Object> password = named(list(container(chart, "Deployment", "ipam"), "env"),
				"SPRING_DATA_REDIS_PASSWORD");
		assertThat(at(password, "valueFrom.secretKeyRef.name")).isEqualTo("redis-auth");
		assertThat(at(password, "valueFrom.secretKeyRef.key")).isEqualTo("redis-password");
	}

	@Test
	void withoutAnyRedisTheInstallFailsSayingWhatToSet() {
		assertThatIllegalStateException().isThrownBy(() -> RenderedChart.render(Map.of("redis.enabled", false)))
			.withMessageContaining("keep redis.enabled=true or set global.redis.host");
	}

	@Test
	void anExternalRedisBesideTheBundledOneIsRejected() {
		assertThatIllegalStateException()
			.isThrownBy(() -> RenderedChart.render(Map.of("global.redis.host", "redis.example.internal")))
			.withMessageContaining("set redis.enabled=false");
	}

	@Test
	void theServicePortIsWhatClientsDialAndThePodPortStaysBehindIt() {
		RenderedChart chart = RenderedChart
			.render(Map.of("global.identity.grpcPort", 19281, "identity.ports.grpc", 7000));

		Map<String, Object> grpc = named(list(chart.get("Service", "jcilium-identity"), "spec.ports"), "grpc");
		assertThat(grpc).containsEntry("port", 19281).containsEntry("targetPort", "grpc");
		assertThat(named(list(container(chart, "Deployment", "identity"), "ports"), "grpc").get("containerPort"))
			.isEqualTo(7000);
		assertThat(at(ServiceConfig.of(chart, "identity"), "spring.grpc.server.port")).isEqualTo(7000);
		assertThat(at(ServiceConfig.of(chart, "operator"), "spring.grpc.client.channels.identity.address"))
			.isEqualTo("static://jcilium-identity:19281");
	}

	@Test
	void freeFormConfigIsMergedOverTheRenderedSpringProperties() {
		RenderedChart chart = RenderedChart.render(Map.of("identity.config.logging.level.io\\.jcilium", "DEBUG",
				"identity.config.spring.data.redis.database", 2, "global.identity.address", "static://other:9999"));

		Map<String, Object> identity = ServiceConfig.of(chart, "identity");
		assertThat(at(identity, "logging.level")).isEqualTo(Map.of("io.jcilium", "DEBUG"));
		assertThat(at(identity, "spring.data.redis.database")).isEqualTo(2);
		assertThat(at(identity, "spring.data.redis.host")).as("rendered keys beside the override stay")
			.isEqualTo("jcilium-redis");
		assertThat(at(ServiceConfig.of(chart, "agent"), "spring.grpc.client.channels.identity.address"))
			.isEqualTo("static://other:9999");
	}

	@Test
	void aConfigChangeRollsThePodsThroughTheChecksumAnnotation() {
		String before = checksum(RenderedChart.renderDefaults(), "identity");
		String after = checksum(RenderedChart.render(Map.of("identity.config.server.shutdown", "immediate")),
				"identity");

		assertThat(after).isNotEqualTo(before);
	}

	private static String switchOf(String service) {
		return switch (service) {
			case "bgp" -> "bgpControlPlane.enabled";
			case "relay" -> "hubble.relay.enabled";
			default -> service + ".enabled";
		};
	}

	private static Set<String> keys(List<Map<String, Object>> objects) {
		return objects.stream()
			.map((object) -> object.get("kind") + "/" + RenderedChart.name(object))
			.collect(Collectors.toSet());
	}

	private static String checksum(RenderedChart chart, String service) {
		return (String) YamlPath
			.map(chart.get("Deployment", "jcilium-" + service), "spec.template.metadata.annotations")
			.get("checksum/config");
	}

	private static Map<String, Object> container(RenderedChart chart, String kind, String service) {
		return list(chart.get(kind, "jcilium-" + service), "spec.template.spec.containers").get(0);
	}

}
