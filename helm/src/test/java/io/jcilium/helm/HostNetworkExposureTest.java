package io.jcilium.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.jcilium.helm.YamlPath.at;
import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What the chart puts on the node's network (issue 17 point 5). A pod on the host network
 * listens on every address of the node whatever its ports say (Kubernetes even fills in
 * hostPort for it), so what counts is what the service answers there: the agent's and
 * bgp's HTTP port answers only the metrics from other addresses
 * ({@code jcilium.admin.access} loopback, the agent's {@code AdminAccessIT} shows it on
 * real sockets), their probes ask 127.0.0.1 as upstream's agent probes do, and the only
 * host ports declared are the metrics and Hubble (upstream's prometheus and hubble-peer
 * ports).
 */
class HostNetworkExposureTest {

	private static RenderedChart chart;

	@BeforeAll
	static void render() {
		chart = RenderedChart.render(Map.of("bgpControlPlane.enabled", true));
	}

	@Test
	void onlyMetricsAndHubbleAreHostPorts() {
		for (Map<String, Object> workload : workloads()) {
			Map<String, Object> pod = map(workload, "spec.template");
			boolean hostNetwork = Boolean.TRUE.equals(at(pod, "spec.hostNetwork"));
			Map<String, Object> annotations = map(pod, "metadata.annotations");
			Object metricsPort = (annotations != null) ? annotations.get("prometheus.io/port") : null;
			for (Map<String, Object> container : containers(workload)) {
				for (Map<String, Object> port : ports(container)) {
					if (port.get("hostPort") == null) {
						continue;
					}
					String where = at(workload, "metadata.name") + " port " + port.get("name");
					assertThat(hostNetwork).as("%s: a host port outside the host network", where).isTrue();
					assertThat(port.get("name")).as(where).isIn("http", "hubble");
					if ("http".equals(port.get("name"))) {
						assertThat(String.valueOf(port.get("containerPort"))).as("%s is the metrics port", where)
							.isEqualTo(metricsPort);
					}
				}
			}
		}
		assertThat(hostPorts("DaemonSet", "jcilium-agent")).containsExactly(9962, 4244);
		assertThat(hostPorts("DaemonSet", "jcilium-bgp")).containsExactly(8283);
	}

	@Test
	void hostNetworkPodsAnswerHealthAndAdminOnLoopbackAndProbeIt() {
		for (Map<String, Object> workload : workloads()) {
			boolean hostNetwork = Boolean.TRUE.equals(at(workload, "spec.template.spec.hostNetwork"));
			String name = (String) at(workload, "metadata.name");
			for (Map<String, Object> container : containers(workload)) {
				for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
					if (at(container, probe + ".httpGet") == null) {
						continue;
					}
					// Off the host network 127.0.0.1 would be the node's, not the pod's.
					assertThat(at(container, probe + ".httpGet.host")).as("%s %s", name, probe)
						.isEqualTo(hostNetwork ? "127.0.0.1" : null);
				}
			}
			if (hostNetwork) {
				String service = name.substring("jcilium-".length());
				assertThat(at(ServiceConfig.of(chart, service), "jcilium.admin.access")).as(name).isEqualTo("loopback");
			}
		}
	}

	@Test
	void adminAnyOpensItAndAnythingElseIsRefused() {
		RenderedChart open = RenderedChart
			.render(Map.of("bgpControlPlane.enabled", true, "agent.admin", "any", "bgp.admin", "any"));
		assertThat(at(ServiceConfig.of(open, "agent"), "jcilium.admin.access")).isEqualTo("any");
		assertThat(at(ServiceConfig.of(open, "bgp"), "jcilium.admin.access")).isEqualTo("any");
		assertThatIllegalStateException().isThrownBy(() -> RenderedChart.render(Map.of("agent.admin", "open")))
			.withMessageContaining("agent.admin 'open' is not one of loopback, any");
	}

	private static List<Integer> hostPorts(String kind, String name) {
		List<Integer> ports = new ArrayList<>();
		for (Map<String, Object> container : containers(chart.get(kind, name))) {
			for (Map<String, Object> port : ports(container)) {
				if (port.get("hostPort") != null) {
					ports.add((Integer) port.get("hostPort"));
				}
			}
		}
		return ports;
	}

	private static List<Map<String, Object>> ports(Map<String, Object> container) {
		return (container.get("ports") != null) ? list(container, "ports") : List.of();
	}

	private static List<Map<String, Object>> workloads() {
		List<Map<String, Object>> workloads = new ArrayList<>(chart.ofKind("DaemonSet"));
		workloads.addAll(chart.ofKind("Deployment"));
		assertThat(workloads).hasSizeGreaterThanOrEqualTo(7);
		return workloads;
	}

	private static List<Map<String, Object>> containers(Map<String, Object> workload) {
		List<Map<String, Object>> containers = new ArrayList<>(list(workload, "spec.template.spec.containers"));
		if (at(workload, "spec.template.spec.initContainers") != null) {
			containers.addAll(list(workload, "spec.template.spec.initContainers"));
		}
		return containers;
	}

}
