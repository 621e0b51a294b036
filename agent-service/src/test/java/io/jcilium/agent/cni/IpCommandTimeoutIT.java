package io.jcilium.agent.cni;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.jcilium.agent.link.IpCommandLinkOperations;
import io.jcilium.agent.link.LinkException;
import io.jcilium.agent.link.MacAddresses;
import io.jcilium.agent.link.PodLinkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * An {@code ip}/{@code nsenter} run that never ends must fail the pod's setup after the
 * command timeout instead of hanging the CNI ADD (and its worker) forever. A FIFO as the
 * "namespace" makes {@code nsenter} block in open(2) for real, as a stuck netlink call or
 * a wedged mount would. Needs root and nsenter.
 */
class IpCommandTimeoutIT {

	/** Far above the agent's command timeout: only a command that never ends hits it. */
	private static final Duration BOUND = Duration.ofMinutes(2);

	@TempDir
	Path dir;

	@Test
	void aCommandThatHangsFailsWithATimeoutAndLeavesNoLink() throws Exception {
		Privileges.requireRootAnd("ip", "nsenter", "mkfifo");
		Path fifo = this.dir.resolve("netns-fifo");
		new ProcessBuilder(List.of("mkfifo", fifo.toString())).inheritIO().start().waitFor();
		IpCommandLinkOperations links = new IpCommandLinkOperations();
		String hostIf = "lxct" + Long.toHexString(System.nanoTime()).substring(0, 8);
		PodLinkSpec spec = new PodLinkSpec(hostIf, "eth0", fifo.toString(), InetAddress.getByName("10.213.255.9"),
				MacAddresses.random(), MacAddresses.random());

		assertTimeoutPreemptively(BOUND,
				() -> assertThatExceptionOfType(LinkException.class).isThrownBy(() -> links.createPodLink(spec))
					.withMessageContaining("timed out"));
		links.deletePodLink(hostIf);
	}

}
