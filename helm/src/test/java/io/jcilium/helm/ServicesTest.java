package io.jcilium.helm;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.jcilium.helm.YamlPath.at;
import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.map;
import static io.jcilium.helm.YamlPath.named;
import static org.assertj.core.api.Assertions.assertThat;

class ServicesTest {

	private static RenderedChart chart;

	@BeforeAll
	static void render() {
		chart = RenderedChart.renderDefaults();
	}

	@Test
	void onlyServicesOthersConnectToAreExposed() {
		assertThat(chart.names("Service")).containsExactly("jcilium-hubble-peer", "jcilium-identity", "jcilium-ipam",
				"jcilium-redis", "jcilium-relay");
	}

	@ParameterizedTest(name = "{0}: http {1}, grpc {2}")
	@CsvSource({ "identity, 8281, 9281", "ipam, 8282, 9282", "relay, 8284, 4245" })
	void clusterServiceExposesHttpAndGrpc(String service, int http, int grpc) {
		Map<String, Object> svc = chart.get("Service", "jcilium-" + service);

		assertThat(portsByName(svc)).containsExactlyInAnyOrderEntriesOf(Map.of("http", http, "grpc", grpc));
		assertThat(named(list(svc, "spec.ports"), "grpc").get("appProtocol")).isEqualTo("grpc");
		assertSelectsWorkloadPortsByName(svc, chart.get("Deployment", "jcilium-" + service));
	}

	@Test
	void hubblePeerServiceKeepsTrafficOnTheNodeAndReachesTheAgentsHubblePort() {
		Map<String, Object> peer = chart.get("Service", "jcilium-hubble-peer");

		assertThat(at(peer, "spec.internalTrafficPolicy")).isEqualTo("Local");
		assertThat(named(list(peer, "spec.ports"), "peer-service")).containsEntry("port", 80)
			.containsEntry("targetPort", "hubble");
		assertSelectsWorkloadPortsByName(peer, chart.get("DaemonSet", "jcilium-agent"));
	}

	@Test
	void redisServiceReachesTheRedisPod() {
		Map<String, Object> redis = chart.get("Service", "jcilium-redis");

		assertThat(portsByName(redis)).containsExactlyEntriesOf(Map.of("redis", 6379));
		assertSelectsWorkloadPortsByName(redis, chart.get("Deployment", "jcilium-redis"));
	}

	private static Map<String, Object> portsByName(Map<String, Object> service) {
		return list(service, "spec.ports").stream()
			.collect(Collectors.toMap((port) -> (String) port.get("name"), (port) -> port.get("port")));
	}

	/**
	 * A Service only works if its selector matches the pods and its target ports exist
	 * there.
	 */
	private static void assertSelectsWorkloadPortsByName(Map<String, Object> service, Map<String, Object> workload) {
		Map<String, Object> podLabels = map(workload, "spec.template.metadata.labels");
		assertThat(podLabels).containsAllEntriesOf(map(service, "spec.selector"));
		List<Object> containerPortNames = list(workload, "spec.template.spec.containers").stream()
			.flatMap((container) -> list(container, "ports").stream())
			.map((port) -> port.get("name"))
			.toList();
		for (Map<String, Object> port : list(service, "spec.ports")) {
			assertThat(containerPortNames).as("target port of %s", port).contains(port.get("targetPort"));
		}
	}

}
