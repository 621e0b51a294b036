package io.jcilium.helm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static io.jcilium.helm.YamlPath.at;
import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.map;
import static io.jcilium.helm.YamlPath.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node drain never takes every replica of a cluster service at once, and the optional
 * ServiceMonitors reach every service's actuator through a Service that selects its pods.
 */
class DisruptionAndMonitoringTest {

	private static final List<String> SERVICES = List.of("agent", "operator", "identity", "ipam", "bgp", "relay");

	@Test
	void everyDeploymentHasABudgetThatKeepsAReplicaOfTheReplicatedOnes() {
		RenderedChart chart = RenderedChart.renderDefaults();

		assertThat(chart.names("PodDisruptionBudget")).containsExactlyInAnyOrder("jcilium-operator", "jcilium-identity",
				"jcilium-ipam", "jcilium-relay");
		for (Map<String, Object> budget : chart.ofKind("PodDisruptionBudget")) {
			Map<String, Object> deployment = chart.get("Deployment", RenderedChart.name(budget));
			assertThat(LabelSelectors.matches(map(budget, "spec.selector"),
					map(deployment, "spec.template.metadata.labels")))
				.as("%s selects its pods", RenderedChart.name(budget))
				.isTrue();
			int replicas = (Integer) at(deployment, "spec.replicas");
			int maxUnavailable = (Integer) at(budget, "spec.maxUnavailable");
			if (replicas > 1) {
				assertThat(maxUnavailable).as(RenderedChart.name(budget)).isLessThan(replicas);
			}
		}
		assertThat(RenderedChart.render(Map.of("identity.podDisruptionBudget.enabled", false))
			.names("PodDisruptionBudget")).doesNotContain("jcilium-identity");
	}

	@Test
	void serviceMonitorsAreOffByDefault() {
		assertThat(RenderedChart.render(Map.of("bgpControlPlane.enabled", true)).ofKind("ServiceMonitor")).isEmpty();
	}

	@Test
	void eachServiceMonitorScrapesTheActuatorOfItsServicesPods() {
		Map<String, Object> values = new HashMap<>(Map.of("bgpControlPlane.enabled", true));
		SERVICES.forEach((service) -> values.put(service + ".prometheus.serviceMonitor.enabled", true));
		values.put("operator.prometheus.serviceMonitor.labels.release", "kube-prometheus");
		RenderedChart chart = RenderedChart.render(values);

		assertThat(chart.ofKind("ServiceMonitor")).hasSize(SERVICES.size());
		for (String service : SERVICES) {
			Map<String, Object> monitor = chart.get("ServiceMonitor", "jcilium-" + service);
			assertThat(at(monitor, "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
			Map<String, Object> endpoint = list(monitor, "spec.endpoints").get(0);
			assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/actuator/prometheus");

			List<Map<String, Object>> services = chart.ofKind("Service")
				.stream()
				.filter((candidate) -> LabelSelectors.matches(map(monitor, "spec.selector"),
						RenderedChart.labels(candidate)))
				// Prometheus scrapes the selected Services' endpoints on the named port
				// only.
				.filter((candidate) -> list(candidate, "spec.ports").stream()
					.anyMatch((port) -> "http".equals(port.get("name"))))
				.toList();
			assertThat(services).as("Services with an http port %s's monitor selects", service).hasSize(1);
			Map<String, Object> target = services.get(0);
			assertThat(named(list(target, "spec.ports"), "http").get("targetPort")).isEqualTo("http");

			Map<String, Object> workload = workload(chart, service);
			Map<String, Object> podLabels = map(workload, "spec.template.metadata.labels");
			assertThat(podLabels).containsAllEntriesOf(map(target, "spec.selector"));
			Map<String, Object> container = list(workload, "spec.template.spec.containers").get(0);
			assertThat(named(list(container, "ports"), "http")).isNotNull();
		}
		assertThat(RenderedChart.labels(chart.get("ServiceMonitor", "jcilium-operator"))).containsEntry("release",
				"kube-prometheus");
	}

	private static Map<String, Object> workload(RenderedChart chart, String service) {
		return chart.ofService(service)
			.stream()
			.filter((object) -> List.of("Deployment", "DaemonSet").contains(object.get("kind")))
			.findFirst()
			.orElseThrow();
	}

}
