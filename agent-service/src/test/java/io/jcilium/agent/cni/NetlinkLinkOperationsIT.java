package io.jcilium.agent.cni;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.jcilium.agent.link.LinkException;
import io.jcilium.agent.link.MacAddresses;
import io.jcilium.agent.datapath.link.NetlinkLinkOperations;
import io.jcilium.agent.link.PodLink;
import io.jcilium.agent.link.PodLinkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Pod links over rtnetlink against the real kernel: the pair, the pod's address, routes
 * and MAC as {@code ip} shows them, a refused request failing with the kernel's reason
 * and leaving nothing behind, and a set-up that hangs failing after the timeout (a FIFO
 * as the "namespace" blocks open(2) for real). Traffic through such links is tried by
 * {@link CniPluginIT}. Needs root and iproute2.
 */
class NetlinkLinkOperationsIT {

	private static final Duration BOUND = Duration.ofMinutes(2);

	@TempDir
	Path dir;

	@Test
	void thePodEndGetsItsAddressRoutesAndMacAndTheNodeEndItsRoute() throws Exception {
		Privileges.requireRootAnd("ip");
		String ns = "jcnl" + Long.toHexString(System.nanoTime()).substring(0, 8);
		String hostIf = "lxcn" + Long.toHexString(System.nanoTime()).substring(0, 8);
		Commands.ok(List.of("ip", "netns", "add", ns));
		NetlinkLinkOperations links = new NetlinkLinkOperations();
		try {
			PodLinkSpec spec = new PodLinkSpec(hostIf, "eth0", "/run/netns/" + ns,
					InetAddress.getByName("10.213.254.7"), MacAddresses.random(), MacAddresses.random());
			PodLink link = links.createPodLink(spec);

			assertThat(Commands.ok(List.of("ip", "-n", ns, "-o", "addr", "show", "dev", "eth0")))
				.contains("inet 10.213.254.7/32");
			assertThat(Commands.ok(List.of("ip", "-n", ns, "link", "show", "eth0"))).contains(spec.podMac())
				.contains("state UP");
			assertThat(Commands.ok(List.of("ip", "-n", ns, "link", "show", "lo"))).contains("UP");
			assertThat(Commands.ok(List.of("ip", "-n", ns, "route", "show")))
				.contains("default via 169.254.1.1 dev eth0")
				.contains("169.254.1.1 dev eth0 scope link");
			assertThat(Commands.ok(List.of("ip", "route", "show", "10.213.254.7/32")))
				.contains("dev " + hostIf + " scope link");
			assertThat(Commands.ok(List.of("ip", "link", "show", hostIf))).contains(spec.hostMac());
			assertThat(link.hostIfIndex()).isPositive();
			assertThat(links.hostLinkExists(hostIf)).isTrue();

			// a second pod end of the same name in the namespace: the kernel refuses it
			String otherIf = "lxco" + hostIf.substring(4);
			PodLinkSpec clash = new PodLinkSpec(otherIf, "eth0", "/run/netns/" + ns,
					InetAddress.getByName("10.213.254.8"), MacAddresses.random(), MacAddresses.random());
			assertThatExceptionOfType(LinkException.class).isThrownBy(() -> links.createPodLink(clash))
				.withMessageContaining("creating veth " + otherIf)
				.withMessageContaining("File exists (errno 17)");
			assertThat(links.hostLinkExists(otherIf)).as("a failed set-up leaves no link").isFalse();
			assertThat(Commands.ok(List.of("ip", "-n", ns, "-o", "addr", "show", "dev", "eth0")))
				.as("the first pod's link is untouched")
				.contains("inet 10.213.254.7/32");

			links.deletePodLink(hostIf);
			links.deletePodLink(hostIf);
		}
		finally {
			Commands.run(List.of("ip", "link", "del", hostIf), "");
			Commands.run(List.of("ip", "netns", "del", ns), "");
		}
	}

	@Test
	void aSetUpThatHangsFailsWithATimeoutAndLeavesNoLink() throws Exception {
		Privileges.requireRootAnd("ip", "mkfifo");
		Path fifo = this.dir.resolve("netns-fifo");
		new ProcessBuilder(List.of("mkfifo", fifo.toString())).inheritIO().start().waitFor();
		NetlinkLinkOperations links = new NetlinkLinkOperations(Duration.ofSeconds(2));
		String hostIf = "lxcn" + Long.toHexString(System.nanoTime()).substring(0, 8);
		PodLinkSpec spec = new PodLinkSpec(hostIf, "eth0", fifo.toString(), InetAddress.getByName("10.213.255.9"),
				MacAddresses.random(), MacAddresses.random());

		assertTimeoutPreemptively(BOUND,
				() -> assertThatExceptionOfType(LinkException.class).isThrownBy(() -> links.createPodLink(spec))
					.withMessageContaining("timed out after 2000 ms"));
		assertThat(links.hostLinkExists(hostIf)).isFalse();
		// lets the abandoned set-up's thread out of open(2); it then finds itself
		// abandoned
		Files.writeString(fifo, "");
	}

}
