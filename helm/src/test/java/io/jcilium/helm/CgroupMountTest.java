package io.jcilium.helm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.named;
import static io.jcilium.helm.YamlPath.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the agent DaemonSet's rendered mount-cgroup command against a stand-in host: a
 * process in a mount namespace of its own plays the host's init, reached through a
 * stand-in of the host's {@code /proc} as the init container reaches the real one. The
 * cgroup2 mount must appear in that namespace, not in the command's own, once however
 * often the command runs, and the busybox copy it ran from must be gone.
 */
class CgroupMountTest {

	@TempDir
	Path dir;

	@Test
	void mountsCgroup2InTheHostsMountNamespaceOnceAndLeavesNoCopyBehind() throws Exception {
		Prerequisites.require("0".equals(new ProcessBuilder("id", "-u").start().inputReader().readLine()),
				"entering another mount namespace and mounting cgroup2 need root");
		Prerequisites.require(Prerequisites.onPath("unshare") && Prerequisites.onPath("nsenter"),
				"unshare and nsenter (util-linux) are not installed");
		Prerequisites.require(Files.isExecutable(Path.of("/bin/busybox")),
				"/bin/busybox is not there (busybox-static, which the agent image carries too)");
		Map<String, Object> init = named(list(RenderedChart.renderDefaults().get("DaemonSet", "jcilium-agent"),
				"spec.template.spec.initContainers"), "mount-cgroup");
		Map<String, Object> env = Map.of("CGROUP_ROOT", named(list(init, "env"), "CGROUP_ROOT").get("value"),
				"HOST_PROC", named(list(init, "env"), "HOST_PROC").get("value"));
		assertThat(env).containsEntry("CGROUP_ROOT", "/run/jcilium/cgroupv2").containsEntry("HOST_PROC", "/hostproc");

		Path cgroupRoot = this.dir.resolve("cgroupv2");
		Path binDir = Files.createDirectory(this.dir.resolve("cni-bin"));
		Process host = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sleep", "120").start();
		try {
			Path hostNs = Files.createDirectories(this.dir.resolve("hostproc/1/ns"));
			Path hostPid = Path.of("/proc", Long.toString(host.pid()));
			waitUntilOwnMountNamespace(hostPid);
			Files.createSymbolicLink(hostNs.resolve("mnt"), hostPid.resolve("ns/mnt"));
			Files.createSymbolicLink(hostNs.resolve("cgroup"), hostPid.resolve("ns/cgroup"));

			List<String> first = run(init, cgroupRoot, binDir);
			List<String> second = run(init, cgroupRoot, binDir);

			assertThat(first).contains("mounted cgroup2 at " + cgroupRoot);
			assertThat(second).contains("cgroup2 already mounted at " + cgroupRoot);
			assertThat(Files.readAllLines(hostPid.resolve("mounts")))
				.filteredOn((line) -> line.split(" ")[1].equals(cgroupRoot.toString()))
				.singleElement()
				.satisfies((line) -> assertThat(line.split(" ")[2]).isEqualTo("cgroup2"));
			assertThat(Files.readAllLines(Path.of("/proc/self/mounts"))).as("the test's own namespace")
				.noneMatch((line) -> line.split(" ")[1].equals(cgroupRoot.toString()));
			try (var left = Files.list(binDir)) {
				assertThat(left).as("the CNI bin dir after the mount").isEmpty();
			}
		}
		finally {
			// The stand-in's mount namespace, and its cgroup2 mount, go with it.
			host.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	private List<String> run(Map<String, Object> init, Path cgroupRoot, Path binDir) throws Exception {
		ProcessBuilder mount = new ProcessBuilder(strings(init, "command")).redirectErrorStream(true);
		// The stand-in shares this file system, so the CNI bin dir has the same path in
		// both.
		mount.environment()
			.putAll(Map.of("CGROUP_ROOT", cgroupRoot.toString(), "HOST_PROC", this.dir.resolve("hostproc").toString(),
					"BIN_DIR", binDir.toString(), "HOST_BIN_DIR", binDir.toString()));
		Process process = mount.start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("mount-cgroup finished").isTrue();
		List<String> output = process.inputReader().lines().toList();
		assertThat(process.exitValue()).as("exit of mount-cgroup: %s", output).isZero();
		return output;
	}

	private static void waitUntilOwnMountNamespace(Path hostPid) throws Exception {
		Path own = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt"));
		List<Path> seen = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			Path ns = Files.readSymbolicLink(hostPid.resolve("ns/mnt"));
			if (!ns.equals(own)) {
				return;
			}
			seen.add(ns);
			Thread.sleep(50);
		}
		throw new AssertionError("the stand-in host never left this mount namespace: " + seen.size() + " looks");
	}

}
