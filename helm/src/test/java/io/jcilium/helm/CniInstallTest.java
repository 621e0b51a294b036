package io.jcilium.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.named;
import static io.jcilium.helm.YamlPath.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the agent's rendered install-cni-plugin command against directories of this test.
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
