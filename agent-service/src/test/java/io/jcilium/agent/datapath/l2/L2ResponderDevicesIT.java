package io.jcilium.agent.datapath.l2;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.l2announce.XdpMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The responder lists the devices of the node's namespace, whatever the host namespace
 * holds. The JDK's {@code NetworkInterface} reads IPv6 devices from
 * {@code /proc/net/if_inet6}, which shows the namespace of the process's main thread even
 * in a thread that joined the node's: a host device with an IPv6 address that the node's
 * namespace lacks made the listing fail there ("work in ... failed"), which is how other
 * tests' links coming and going on the host broke L2 announcements under test.
 */
class L2ResponderDevicesIT {

	private final String runId = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));

	private final List<String> namespaces = new ArrayList<>();

	private final String hostDevice = "l2dh" + this.runId;

	private String node;

	@BeforeEach
	void namespaces() {
		KernelRequirements.requireBpfAndTools("ip");
		this.node = "l2dn-" + this.runId;
		PodTopology.Result added = PodTopology.tryRun("ip", "netns", "add", this.node);
		assertThat(added.exitCode()).as("ip netns add %s: %s", this.node, added.output()).isZero();
		this.namespaces.add(this.node);
	}

	@AfterEach
	void cleanUp() {
		PodTopology.tryRun("ip", "link", "del", this.hostDevice);
		for (String namespace : this.namespaces) {
			PodTopology.tryRun("ip", "netns", "del", namespace);
		}
	}

	@Test
	void listsTheNodesDevicesWhileTheHostHasAnIpv6DeviceTheNodeLacks() {
		// on the host only: a device with an IPv6 address, as a test's veth or a pod's
		run("ip", "link", "add", this.hostDevice, "type", "veth", "peer", "name", "l2dp" + this.runId);
		run("ip", "link", "set", this.hostDevice, "up");
		run("ip", "-6", "addr", "add", "fd00:12:" + this.runId.substring(0, 4) + "::1/64", "dev", this.hostDevice,
				"nodad");
		// in the node only: one device with IPv4, one with IPv6 alone, two that are down
		PodTopology.exec(this.node, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
		PodTopology.exec(this.node, "ip", "addr", "add", "192.0.2.11/24", "dev", "eth0");
		PodTopology.exec(this.node, "ip", "link", "set", "eth0", "up");
		PodTopology.exec(this.node, "ip", "-6", "addr", "add", "fd00:13::11/64", "dev", "eth1", "nodad");
		PodTopology.exec(this.node, "ip", "link", "set", "eth1", "up");
		PodTopology.exec(this.node, "ip", "link", "add", "eth2", "type", "veth", "peer", "name", "eth3");
		PodTopology.exec(this.node, "ip", "link", "set", "lo", "up");
		Path namespace = PodTopology.namespacePath(this.node);

		try (BpfL2Responder responder = new BpfL2Responder(TestLibbpf.get(), () -> Path.of("/nonexistent"), namespace,
				XdpMode.GENERIC)) {
			assertThat(responder.devices()).as("devices offered for announcements in %s", namespace)
				.containsExactly("eth0", "eth1");
		}
	}

	private static void run(String... command) {
		PodTopology.Result result = PodTopology.tryRun(command);
		assertThat(result.exitCode()).as("%s: %s", String.join(" ", command), result.output()).isZero();
	}

}
