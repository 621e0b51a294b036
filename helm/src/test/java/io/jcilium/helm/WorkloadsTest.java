package io.jcilium.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.jcilium.helm.YamlPath.at;
import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.map;
import static io.jcilium.helm.YamlPath.named;
import static org.assertj.core.api.Assertions.assertThat;

/** Every service's workload as rendered with bgp switched on (it is off by default). */
class WorkloadsTest {

	private static RenderedChart chart;

	@BeforeAll
	static void render() {
		chart = RenderedChart.render(Map.of("bgpControlPlane.enabled", true));
	}

	@Test
	void perNodeServicesAreDaemonSetsAndClusterServicesDeployments() {
		assertThat(chart.names("DaemonSet")).containsExactly("jcilium-agent", "jcilium-bgp");
		assertThat(chart.names("Deployment")).containsExactly("jcilium-identity", "jcilium-ipam", "jcilium-operator",
				"jcilium-redis", "jcilium-relay");
	}

	@ParameterizedTest(name = "{0} runs unprivileged, read-only, without capabilities")
	@CsvSource({ "identity", "ipam", "operator", "relay", "redis" })
	void deploymentsRunUnprivileged(String service) {
		Map<String, Object> pod = map(chart.get("Deployment", "jcilium-" + service), "spec.template.spec");

		assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
		assertThat((Integer) at(pod, "securityContext.runAsUser")).isPositive();
		assertThat(at(pod, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
		for (Map<String, Object> container : list(pod, "containers")) {
			assertThat(at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
			assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
			assertThat(YamlPath.strings(container, "securityContext.capabilities.drop")).containsExactly("ALL");
			assertThat(at(container, "securityContext.capabilities.add")).isNull();
		}
	}

	@Test
	void everyContainerOfEveryWorkloadStatesItsSecurityContext() {
		for (String kind : List.of("Deployment", "DaemonSet")) {
			for (Map<String, Object> workload : chart.ofKind(kind)) {
				List<Map<String, Object>> containers = new ArrayList<>(list(workload, "spec.template.spec.containers"));
				if (at(workload, "spec.template.spec.initContainers") != null) {
					containers.addAll(list(workload, "spec.template.spec.initContainers"));
				}
				for (Map<String, Object> container : containers) {
					assertThat(container.get("securityContext"))
						.as("%s %s container %s", kind, at(workload, "metadata.name"), container.get("name"))
						.isNotNull();
				}
			}
		}
	}

	@Test
	void bgpIsOffByDefaultLikeUpstream() {
		assertThat(RenderedChart.renderDefaults().names("DaemonSet")).containsExactly("jcilium-agent");
	}

	@ParameterizedTest(name = "{0} {1}: image, probes, scraping, config, grace period")
	@CsvSource({ "DaemonSet, agent, agent-service, 9962", "DaemonSet, bgp, bgp-service, 8283",
			"Deployment, operator, operator-service, 9963", "Deployment, identity, identity-service, 8281",
			"Deployment, ipam, ipam-service, 8282", "Deployment, relay, relay-service, 8284" })
	void springServiceWorkload(String kind, String service, String image, int httpPort) {
		Map<String, Object> workload = chart.get(kind, "jcilium-" + service);
		Map<String, Object> pod = map(workload, "spec.template");
		Map<String, Object> container = list(pod, "spec.containers").get(0);

		assertThat(container.get("image")).isEqualTo("jcilium/" + image + ":0.1.0");
		assertThat(named(list(container, "ports"), "http").get("containerPort")).isEqualTo(httpPort);
		assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
		assertThat(at(container, "livenessProbe.httpGet.port")).isEqualTo("http");
		assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
		assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
		assertThat(map(container, "resources.requests")).containsKeys("cpu", "memory");
		assertThat(map(container, "resources.limits")).containsKey("memory");
		assertThat(map(pod, "metadata.annotations")).containsEntry("prometheus.io/scrape", "true")
			.containsEntry("prometheus.io/port", String.valueOf(httpPort))
			.containsEntry("prometheus.io/path", "/actuator/prometheus")
			.containsKey("checksum/config");
		assertThat(at(pod, "spec.terminationGracePeriodSeconds")).isEqualTo(30);
		assertThat(at(pod, "spec.serviceAccountName")).isEqualTo("jcilium-" + service);
		assertThat(map(pod, "metadata.labels")).containsAllEntriesOf(map(workload, "spec.selector.matchLabels"));

		// Spring reads the ConfigMap through spring.config.additional-location: its own,
		// over the release's upstream-shaped settings (UpstreamValuesTest).
		assertThat(at(list(named(list(pod, "spec.volumes"), "config"), "projected.sources").get(0), "configMap.name"))
			.isEqualTo("jcilium-" + service);
		assertThat(named(list(container, "volumeMounts"), "config").get("mountPath")).isEqualTo("/etc/jcilium");
		assertThat(named(list(container, "env"), "SPRING_CONFIG_ADDITIONAL_LOCATION").get("value"))
			.isEqualTo("optional:file:/etc/jcilium/cluster/,optional:file:/etc/jcilium/");
		Map<String, Object> config = ServiceConfig.of(chart, service);
		assertThat(at(config, "server.port")).isEqualTo(httpPort);

		// The fast start (issue 20): the build's Spring AOT processing (the class-data
		// archive comes with the image and needs no option).
		List<String> javaOptions = List
			.of(named(list(container, "env"), "JAVA_TOOL_OPTIONS").get("value").toString().split(" "));
		assertThat(javaOptions).contains("-Dspring.aot.enabled=true", "-XX:+UseSerialGC");
		assertThat(javaOptions).noneMatch((option) -> option.startsWith("-XX:SharedArchiveFile"));
	}

	@Test
	void agentRunsOnTheHostNetworkWithTheNodePathsMounted() {
		Map<String, Object> pod = map(chart.get("DaemonSet", "jcilium-agent"), "spec.template.spec");
		Map<String, Object> agent = named(list(pod, "containers"), "agent");

		assertThat(pod.get("hostNetwork")).isEqualTo(true);
		assertThat(pod.get("dnsPolicy")).isEqualTo("ClusterFirstWithHostNet");
		assertThat(named(list(agent, "ports"), "hubble").get("containerPort")).isEqualTo(4244);
		assertThat(list(pod, "tolerations")).contains(Map.of("operator", "Exists"));

		List<Map<String, Object>> volumes = list(pod, "volumes");
		assertThat(at(named(volumes, "bpf-maps"), "hostPath.path")).isEqualTo("/sys/fs/bpf");
		assertThat(at(named(volumes, "state-dir"), "hostPath.path")).isEqualTo("/var/run/jcilium");
		assertThat(at(named(volumes, "cni-bin-dir"), "hostPath.path")).isEqualTo("/opt/cni/bin");
		assertThat(at(named(volumes, "cni-conf-dir"), "hostPath.path")).isEqualTo("/etc/cni/net.d");

		List<Map<String, Object>> mounts = list(agent, "volumeMounts");
		assertThat(named(mounts, "bpf-maps")).containsEntry("mountPath", "/sys/fs/bpf");
		assertThat(named(mounts, "state-dir").get("mountPath")).isEqualTo("/var/run/jcilium");
		assertThat(named(mounts, "cni-conf-dir").get("mountPath")).isEqualTo("/host/etc/cni/net.d");

		// The CNI plugin is copied to the host before the agent starts serving it.
		Map<String, Object> install = named(list(pod, "initContainers"), "install-cni-plugin");
		assertThat(named(list(install, "volumeMounts"), "cni-bin-dir").get("mountPath")).isEqualTo("/host/opt/cni/bin");
	}

	@Test
	void bgpSpeakerRunsOnTheHostNetworkWithOnlyTheCapabilitiesItNeeds() {
		Map<String, Object> pod = map(chart.get("DaemonSet", "jcilium-bgp"), "spec.template.spec");
		Map<String, Object> bgp = named(list(pod, "containers"), "bgp");

		assertThat(pod.get("hostNetwork")).isEqualTo(true);
		assertThat(at(bgp, "securityContext.privileged")).isNull();
		assertThat(YamlPath.strings(bgp, "securityContext.capabilities.add")).contains("NET_BIND_SERVICE", "NET_RAW");
	}

	@Test
	void operatorRunsTwoReplicasSpreadOverNodes() {
		Map<String, Object> operator = chart.get("Deployment", "jcilium-operator");

		assertThat(at(operator, "spec.replicas")).isEqualTo(2);
		assertThat(at(operator, "spec.template.spec.affinity.podAntiAffinity")).isNotNull();
	}

	@Test
	void redisSyncsItsAppendOnlyFileBeforeAcknowledgingAWrite() {
		Map<String, Object> pod = map(chart.get("Deployment", "jcilium-redis"), "spec.template.spec");
		List<String> args = YamlPath.strings(named(list(pod, "containers"), "redis"), "args");

		assertThat(args).containsSubsequence("--appendonly", "yes").containsSubsequence("--appendfsync", "always");
	}

}
