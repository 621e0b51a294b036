package io.jcilium.agent.link;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which net sysctls the agent writes: the host's, mounted at /host/proc/sys/net for an
 * agent that is not privileged, else its own /proc/sys/net (privileged, or a process on
 * the node).
 */
class NodeLinkFilesTest {

	@Test
	void theHostsMountedNetSysctlsWinWhenMounted(@TempDir Path host) throws Exception {
		Path mount = host.resolve("proc/sys/net");
		Files.createDirectories(mount.resolve("ipv4/conf"));

		assertThat(NodeLinkFiles.procSysNet(mount)).isEqualTo(mount);
	}

	@Test
	void withoutTheMountItsOwnProcSysNet(@TempDir Path host) throws Exception {
		// An empty directory is what a runtime leaves when the volume is missing: not the
		// host's.
		Path mount = Files.createDirectories(host.resolve("proc/sys/net"));

		assertThat(NodeLinkFiles.procSysNet(mount)).isEqualTo(Path.of("/proc/sys/net"));
		assertThat(NodeLinkFiles.procSysNet(host.resolve("absent"))).isEqualTo(Path.of("/proc/sys/net"));
	}

}
