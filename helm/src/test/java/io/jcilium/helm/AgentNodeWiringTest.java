package io.jcilium.helm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.jcilium.helm.YamlPath.at;
import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.map;
import static io.jcilium.helm.YamlPath.named;
import static io.jcilium.helm.YamlPath.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the agent DaemonSet ties the agent to its node: the node name, the host paths the
 * CNI plugin and the datapath share with it, and the conflist that makes the runtime call
 * the plugin.
 */
class AgentNodeWiringTest {

	@TempDir
	Path dir;

	@Test
	void nodeNameComesFromTheDownwardApiIntoBothNodeProperties() {
		RenderedChart chart = RenderedChart.renderDefaults();
		Map<String, Object> config = ServiceConfig.of(chart, "agent");

		Map<String, Object> nodeName = named(list(agentContainer(chart), "env"), "NODE_NAME");
		assertThat(at(nodeName, "valueFrom.fieldRef.fieldPath")).isEqualTo("spec.nodeName");
		// Spring resolves the placeholder from the environment when it reads the
		// ConfigMap.
		assertThat(at(config, "jcilium.agent.node-name")).isEqualTo("${NODE_NAME}");
		assertThat(at(config, "jcilium.agent.identity.node")).isEqualTo("${NODE_NAME}");
	}

	@Test
	void agentReachesTheChartsIdentityServiceAndRunsItsDatapath() {
		Map<String, Object> config = ServiceConfig.of(RenderedChart.renderDefaults(), "agent");

		assertThat(at(config, "jcilium.agent.identity.target")).isEqualTo("static://jcilium-identity:9281");
		assertThat(at(config, "jcilium.agent.cluster-name")).isEqualTo("default");
		assertThat(at(config, "jcilium.agent.k8s.enabled")).isEqualTo(true);
		// The operator writes a new node's pod CIDR; the agent waits for it.
		assertThat(at(config, "jcilium.agent.k8s.pod-cidr-wait")).isEqualTo("2m");
		assertThat(at(config, "jcilium.datapath.enabled")).isEqualTo(true);
		assertThat(at(config, "jcilium.datapath.bpffs-root")).isEqualTo("/sys/fs/bpf");
	}

	@Test
	void socketAndStateLiveInTheHostDirectoryMountedAtTheSamePath() {
		RenderedChart chart = RenderedChart.render(Map.of("agent.hostPaths.stateDir", "/run/jc"));
		Map<String, Object> config = ServiceConfig.of(chart, "agent");
		Map<String, Object> pod = map(chart.get("DaemonSet", "jcilium-agent"), "spec.template.spec");

		assertThat(at(named(list(pod, "volumes"), "state-dir"), "hostPath.path")).isEqualTo("/run/jc");
		assertThat(named(list(agentContainer(chart), "volumeMounts"), "state-dir").get("mountPath"))
			.isEqualTo("/run/jc");
		assertThat(at(config, "jcilium.agent.cni.socket-path")).isEqualTo("/run/jc/agent.sock");
		assertThat(at(config, "jcilium.agent.state-dir")).isEqualTo("/run/jc/state");
	}

	@Test
	void podNetworkNamespacesCreatedLaterPropagateIntoTheAgent() {
		RenderedChart chart = RenderedChart.renderDefaults();
		Map<String, Object> pod = map(chart.get("DaemonSet", "jcilium-agent"), "spec.template.spec");

		assertThat(at(named(list(pod, "volumes"), "netns-dir"), "hostPath.path")).isEqualTo("/var/run/netns");
		assertThat(named(list(agentContainer(chart), "volumeMounts"), "netns-dir"))
			.containsEntry("mountPath", "/var/run/netns")
			.containsEntry("mountPropagation", "HostToContainer");
	}

	@Test
	void disablingTheDatapathSwitchesItOffAndDropsTheBpffsMount() {
		RenderedChart chart = RenderedChart.render(Map.of("agent.datapath.enabled", false, "routingMode", "native"));
		Map<String, Object> pod = map(chart.get("DaemonSet", "jcilium-agent"), "spec.template.spec");

		assertThat(at(ServiceConfig.of(chart, "agent"), "jcilium.datapath.enabled")).isEqualTo(false);
		assertThat(list(pod, "volumes")).noneMatch((volume) -> "bpf-maps".equals(volume.get("name")));
		assertThat(list(agentContainer(chart), "volumeMounts"))
			.noneMatch((mount) -> "bpf-maps".equals(mount.get("name")));
	}

	@Test
	void conflistWrittenByTheInitContainerNamesThePluginAndTheAgentSocket() throws Exception {
		RenderedChart chart = RenderedChart.renderDefaults();
		Map<String, Object> pod = map(chart.get("DaemonSet", "jcilium-agent"), "spec.template.spec");
		Map<String, Object> init = named(list(pod, "initContainers"), "install-cni-conf");
		assertThat(named(list(init, "volumeMounts"), "cni-conf-dir").get("mountPath")).isEqualTo("/host/etc/cni/net.d");
		assertThat(named(list(init, "env"), "DEST").get("value")).isEqualTo("/host/etc/cni/net.d/05-jcilium.conflist");

		Path confDir = Files.createDirectory(this.dir.resolve("net.d"));
		Path conflist = confDir.resolve("05-jcilium.conflist");
		ProcessBuilder install = new ProcessBuilder(strings(init, "command")).redirectErrorStream(true);
		install.environment().put("DEST", conflist.toString());
		install.environment().put("CONFLIST", (String) named(list(init, "env"), "CONFLIST").get("value"));
		Process process = install.start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("install command finished").isTrue();
		assertThat(process.exitValue()).isZero();

		try (var files = Files.list(confDir)) {
			assertThat(files).containsExactly(conflist);
		}
		// JSON is YAML, so the test's YAML parser reads what the runtime will.
		Map<String, Object> written = YamlPath.parse(Files.readString(conflist));
		assertThat(written).containsEntry("cniVersion", "1.0.0").containsEntry("name", "jcilium");
		List<Map<String, Object>> plugins = list(written, "plugins");
		assertThat(plugins).hasSize(1);
		assertThat(plugins.get(0)).containsEntry("type", "jcilium-cni")
			.containsEntry("agentSocket", at(ServiceConfig.of(chart, "agent"), "jcilium.agent.cni.socket-path"));
	}

	private static Map<String, Object> agentContainer(RenderedChart chart) {
		return named(list(chart.get("DaemonSet", "jcilium-agent"), "spec.template.spec.containers"), "agent");
	}

}
