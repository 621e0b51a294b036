package io.jcilium.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.jcilium.helm.YamlPath.at;
import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.named;
import static io.jcilium.helm.YamlPath.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the agent's rendered node set-up and clean-up commands against a scratch directory
 * tree of this test: the plugin's install, the preStop hook that removes plugin and
 * conflist when the release says cni-uninstall, and the bpffs mount (in a private mount
 * namespace).
 */
class CniInstallTest {

	@TempDir
	Path dir;

	@Test
	void replacesAPluginThatIsRunningWithoutLeavingATemporaryFile() throws Exception {
		Path source = this.dir.resolve("image-plugin");
		Files.writeString(source, "#!/bin/sh\necho new plugin\n");
		Path binDir = Files.createDirectory(this.dir.resolve("cni-bin"));
		Path installed = binDir.resolve("jcilium-cni");
		// A plugin the runtime is executing right now must not block an agent upgrade.
		Files.copy(Path.of("/bin/sleep"), installed, StandardCopyOption.COPY_ATTRIBUTES);
		Process running = new ProcessBuilder(installed.toString(), "30").start();
		try {
			int exit = runInstall(Map.of("agent.cni.pluginSource", source.toString()), installed);

			assertThat(exit).isZero();
			assertThat(Files.readString(installed)).contains("echo new plugin");
			try (var files = Files.list(binDir)) {
				assertThat(files).containsExactly(installed);
			}
		}
		finally {
			running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void failsWhenTheImageHasNoPlugin() throws Exception {
		Path installed = Files.createDirectory(this.dir.resolve("cni-bin")).resolve("jcilium-cni");

		int exit = runInstall(Map.of("agent.cni.pluginSource", this.dir.resolve("missing").toString()), installed);

		assertThat(exit).isNotZero();
		assertThat(installed).doesNotExist();
	}

	@Test
	void preStopRemovesPluginConflistAndSocketLbLinksOnlyWhenTheReleaseSaysUninstall() throws Exception {
		for (boolean uninstall : new boolean[] { false, true }) {
			RenderedChart chart = RenderedChart.render(Map.of("cni.uninstall", uninstall));
			Path node = Files.createDirectories(this.dir.resolve("node-" + uninstall));
			Path conflist = Files.writeString(node.resolve("05-jcilium.conflist"), "{}");
			Path plugin = Files.writeString(node.resolve("jcilium-cni"), "plugin");
			Path other = Files.writeString(node.resolve("10-other.conflist"), "{}");
			// stands for the bpffs directory of the socket LB's link pins
			Path links = Files.createDirectories(node.resolve("socketlb-links"));
			Files.writeString(links.resolve("sock4_connect"), "pin");
			// What the kubelet projects from <release>-config into the agent.
			Path flag = Files.writeString(node.resolve("cni-uninstall"),
					(String) YamlPath.map(chart.get("ConfigMap", "jcilium-config"), "data").get("cni-uninstall"));

			Map<String, Object> agent = named(
					list(chart.get("DaemonSet", "jcilium-agent"), "spec.template.spec.containers"), "agent");
			List<Map<String, Object>> env = list(agent, "env");
			assertThat(named(env, "CNI_CONF_FILE").get("value")).isEqualTo("/host/etc/cni/net.d/05-jcilium.conflist");
			assertThat(named(env, "CNI_PLUGIN_FILE").get("value")).isEqualTo("/host/opt/cni/bin/jcilium-cni");
			assertThat(named(env, "CNI_UNINSTALL_FLAG").get("value")).isEqualTo("/etc/jcilium/cluster/cni-uninstall");
			assertThat(named(env, "SOCKET_LB_LINK_PINS").get("value")).isEqualTo("/sys/fs/bpf/jcilium/socketlb-links");
			ProcessBuilder preStop = new ProcessBuilder(strings(agent, "lifecycle.preStop.exec.command"))
				.redirectErrorStream(true);
			preStop.environment()
				.putAll(Map.of("CNI_CONF_FILE", conflist.toString(), "CNI_PLUGIN_FILE", plugin.toString(),
						"CNI_UNINSTALL_FLAG", flag.toString(), "SOCKET_LB_LINK_PINS", links.toString()));
			Process process = preStop.start();
			assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("preStop finished").isTrue();
			assertThat(process.exitValue()).isZero();

			if (uninstall) {
				assertThat(conflist).doesNotExist();
				assertThat(plugin).doesNotExist();
				assertThat(links).as("socket LB link pins").doesNotExist();
			}
			else {
				assertThat(conflist).exists();
				assertThat(plugin).exists();
				assertThat(links).as("socket LB link pins, kept across a restart").exists();
			}
			assertThat(other).as("another network's conflist").exists();
		}
	}

	@Test
	void mountsBpffsWhereNoneIsAndLeavesAnExistingOneAlone() throws Exception {
		Prerequisites.require("0".equals(new ProcessBuilder("id", "-u").start().inputReader().readLine()),
				"mounting bpffs needs root");
		Prerequisites.require(Prerequisites.onPath("unshare"), "unshare (util-linux) is not installed");
		Map<String, Object> init = named(list(RenderedChart.renderDefaults().get("DaemonSet", "jcilium-agent"),
				"spec.template.spec.initContainers"), "mount-bpf-fs");
		assertThat(at(init, "securityContext.privileged")).isEqualTo(true);
		assertThat(named(list(init, "env"), "BPFFS").get("value")).isEqualTo("/sys/fs/bpf");
		Path bpffs = Files.createDirectory(this.dir.resolve("bpf"));

		// Twice in one private mount namespace (gone with it, so nothing to clean up),
		// then
		// the namespace's mounts of the scratch directory.
		List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
				"\"$@\" && \"$@\" && grep \" $BPFFS \" /proc/self/mounts", "sh"));
		command.addAll(strings(init, "command"));
		ProcessBuilder mount = new ProcessBuilder(command).redirectErrorStream(true);
		mount.environment().put("BPFFS", bpffs.toString());
		Process process = mount.start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("mount finished").isTrue();
		List<String> output = process.inputReader().lines().toList();
		assertThat(process.exitValue()).as("exit of %s", output).isZero();

		assertThat(output).containsSubsequence("mounted bpffs at " + bpffs, "bpffs already mounted at " + bpffs);
		assertThat(output.stream().filter((line) -> line.contains(" " + bpffs + " "))).singleElement()
			.satisfies((line) -> assertThat(line.split(" ")[2]).isEqualTo("bpf"));
		try (var mounts = Files.lines(Path.of("/proc/self/mounts"))) {
			assertThat(mounts).as("the test's own namespace").noneMatch((line) -> line.contains(" " + bpffs + " "));
		}
	}

	/**
	 * The init container's command as rendered, with its DEST pointed into this test's
	 * directory.
	 */
	private int runInstall(Map<String, Object> values, Path destination) throws IOException, InterruptedException {
		Map<String, Object> agent = RenderedChart.render(values).get("DaemonSet", "jcilium-agent");
		Map<String, Object> init = named(list(agent, "spec.template.spec.initContainers"), "install-cni-plugin");
		List<String> command = strings(init, "command");
		assertThat(named(list(init, "env"), "DEST").get("value")).isEqualTo("/host/opt/cni/bin/jcilium-cni");

		ProcessBuilder install = new ProcessBuilder(command).redirectErrorStream(true);
		install.environment().put("DEST", destination.toString());
		Process process = install.start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("install command finished").isTrue();
		return process.exitValue();
	}

}
