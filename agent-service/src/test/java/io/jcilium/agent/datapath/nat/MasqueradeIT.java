package io.jcilium.agent.datapath.nat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.Inet4Address;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.lb.HostLb;
import io.jcilium.agent.datapath.lb.SocketLb;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.EndpointsMap;
import io.jcilium.agent.datapath.maps.IpcacheMap;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.net.IpAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Masquerading on real packets: {@code bpf_host.o} on a node's external device, pods a
 * and b on the node, and a server in a namespace outside the cluster that has no route to
 * the pods (so only a masqueraded connection can be answered) and tells each client the
 * address and port it sees.
 *
 * <pre>
 *   pods a, b --- [node] ext (192.168.205.1) --- eth0 (192.168.205.9) [outside]
 * </pre>
 */
class MasqueradeIT {

	private static final String NODE_ADDRESS = "192.168.205.1";

	private static final String OUTSIDE_ADDRESS = "192.168.205.9";

	private static final int TCP_PORT = 7000;

	private static final int UDP_PORT = 7001;

	/** No socket listens: the outside answers a datagram with ICMP port unreachable. */
	private static final int CLOSED_UDP_PORT = 7009;

	/** The outside refuses a connection with ICMP port unreachable (iptables REJECT). */
	private static final int REJECTED_TCP_PORT = 7010;

	/** Inside the masquerade port range: the first pod keeps it, the second must not. */
	private static final int SHARED_SOURCE_PORT = 62000;

	private static PodTopology node;

	private static String outside;

	private static PodTopology.Pod a;

	private static PodTopology.Pod b;

	private static HostLb hostLb;

	private static MasqueradeMaps maps;

	private static Process server;

	private static Path udpLog;

	@BeforeAll
	static void setUp() throws Exception {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "python3", "ping", "iptables", "ethtool");
		try {
			node = new PodTopology().createNode();
			a = node.addPod("a", "10.205.0.1");
			b = node.addPod("b", "10.205.0.2");
			// full checksums on the pods' packets (no offload over the veths), so the
			// quote in an ICMP error carries a checksum that can be checked after the
			// translation
			for (PodTopology.Pod pod : List.of(a, b)) {
				PodTopology.exec(pod.namespace(), "ethtool", "-K", "eth0", "tx", "off");
			}
			outside = "jcmo-" + node.runId();
			String device = "ext" + node.runId();
			run("ip", "netns", "add", outside);
			PodTopology.exec(outside, "ip", "link", "set", "lo", "up");
			run("ip", "link", "add", device, "netns", node.nodeNamespace(), "type", "veth", "peer", "name", "eth0",
					"netns", outside);
			node.inNode("ip", "addr", "add", NODE_ADDRESS + "/24", "dev", device);
			node.inNode("ip", "link", "set", device, "up");
			node.inNode("sysctl", "-qw", "net.ipv4.conf." + device + ".forwarding=1");
			PodTopology.exec(outside, "ip", "addr", "add", OUTSIDE_ADDRESS + "/24", "dev", "eth0");
			PodTopology.exec(outside, "ip", "link", "set", "eth0", "up");
			PodTopology.exec(outside, "iptables", "-A", "INPUT", "-p", "tcp", "--dport",
					String.valueOf(REJECTED_TCP_PORT), "-j", "REJECT", "--reject-with", "icmp-port-unreachable");

			hostLb = HostLb.load(TestLibbpf.get(), DatapathObjects.resolve(HostLb.OBJECT), null,
					new SocketLb.MapSizes(64, 64, 64), HostLb.BackendSelection.RANDOM, 1024);
			EndpointsMap endpoints = new EndpointsMap(hostLb.map("endpoints"));
			for (PodTopology.Pod pod : List.of(a, b)) {
				endpoints.put(IpAddress.parseLiteral(pod.address()),
						new DatapathStructs.EndpointInfo(0, 0, 0, new byte[6], new byte[6], 0));
			}
			maps = new MasqueradeMaps(hostLb.map(MasqueradeMaps.CONFIG_MAP),
					hostLb.map(MasqueradeMaps.NON_MASQUERADE_MAP));
			int ifindex = NetworkNamespace.interfaceIndex(node.nodeNamespacePath(), device);
			NetworkNamespace.call(node.nodeNamespacePath(), () -> {
				hostLb.attach(ifindex, (Inet4Address) IpAddress.parseLiteral(NODE_ADDRESS));
				return null;
			});
			udpLog = Files.createTempFile("masq-udp", ".log");
			server = PodTopology.start(outside, "python3", "-u", script(), "server", OUTSIDE_ADDRESS,
					String.valueOf(TCP_PORT), String.valueOf(UDP_PORT), udpLog.toString());
			String ready = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
				.readLine();
			assertThat(ready).as("the outside server started").isEqualTo("ready");
		}
		catch (RuntimeException ex) {
			tearDown();
			throw ex;
		}
	}

	@AfterAll
	static void tearDown() throws Exception {
		if (server != null) {
			server.destroyForcibly().waitFor();
		}
		if (hostLb != null) {
			NetworkNamespace.call(node.nodeNamespacePath(), () -> {
				hostLb.close();
				return null;
			});
		}
		if (outside != null) {
			PodTopology.tryRun("ip", "netns", "del", outside);
		}
		if (node != null) {
			node.close();
		}
		if (udpLog != null) {
			Files.deleteIfExists(udpLog);
		}
	}

	/**
	 * The node's InternalIP network is a non-masquerade CIDR by default: the test's own
	 * list leaves it out.
	 */
	@BeforeEach
	void masqueradeEverythingButPods() {
		maps.apply(true, NonMasqueradeCidrs.effective(List.of("10.0.0.0/8"), false));
		MasqueradeMaps.writePrefixes(hostLb.map(MasqueradeMaps.CLUSTER_MAP), List.of(), true);
	}

	@Test
	void aPodsPingReachesTheOutsideAndItsReplyThePod() {
		PodTopology.Result ping = PodTopology.tryRun("ip", "netns", "exec", a.namespace(), "ping", "-c", "1", "-W", "5",
				OUTSIDE_ADDRESS);
		assertThat(ping.exitCode()).as("ping from a pod the outside has no route to: %s", ping.output()).isZero();
	}

	@Test
	void twoPodsPingingWithTheSameIdentifierBothGetTheirReply() {
		// the first keeps its identifier, the second collides with it and gets another
		// one on the wire, translated back to its own in the reply
		assertThat(ping(a, 4242)).isEqualTo("reply 4242");
		assertThat(ping(b, 4242)).isEqualTo("reply 4242");
		assertThat(ping(a, 4242)).as("a's ping keeps its translation").isEqualTo("reply 4242");
	}

	@Test
	void portUnreachableAboutAMasqueradedUdpFlowReachesThePodWithEveryChecksumRight() {
		List<String> lines = refused("udp", CLOSED_UDP_PORT, 40006);
		assertThat(lines.get(0)).as("the connected socket fails at once: the error reached it").isEqualTo("refused");
		assertThat(lines.get(1)).isEqualTo("icmp " + OUTSIDE_ADDRESS + " -> " + a.address() + " quote " + a.address()
				+ ":40006 -> " + OUTSIDE_ADDRESS + ":" + CLOSED_UDP_PORT + " ip ok icmp ok quoted-ip ok quoted-l4 ok");
	}

	@Test
	void portUnreachableAboutAMasqueradedTcpConnectReachesThePod() {
		List<String> lines = refused("tcp", REJECTED_TCP_PORT, 40007);
		assertThat(lines.get(0)).isEqualTo("refused");
		assertThat(lines.get(1))
			.isEqualTo("icmp " + OUTSIDE_ADDRESS + " -> " + a.address() + " quote " + a.address() + ":40007 -> "
					+ OUTSIDE_ADDRESS + ":" + REJECTED_TCP_PORT + " ip ok icmp ok quoted-ip ok quoted-l4 ok");
	}

	@Test
	void theClusterPodCidrsAreNeverMasqueradedWhateverTheNonMasqueradeList() throws Exception {
		// the outside stands in for another node's pod range the ipcache does not know
		MasqueradeMaps.writePrefixes(hostLb.map(MasqueradeMaps.CLUSTER_MAP), List.of(Cidr.parse("192.168.205.0/24")),
				true);
		assertThat(udp(a, 40008, 2)).isEqualTo("timeout");
		assertThat(Files.readAllLines(udpLog)).contains(a.address() + " 40008");
		assertThat(ping(a, 4343)).as("nor a ping").isEqualTo("timeout");
	}

	@Test
	void aPodReachesTheOutsideWithTheNodeAddressAndGetsTheAnswer() throws Exception {
		try (Held held = Held.tcp(a, SHARED_SOURCE_PORT + 1)) {
			assertThat(held.greeting()).startsWith("peer " + NODE_ADDRESS + " ");
			assertThat(held.send("hello")).isEqualTo("echo hello");
		}
	}

	@Test
	void twoPodsWithTheSameSourcePortToTheSameDestinationBothWork() throws Exception {
		try (Held first = Held.tcp(a, SHARED_SOURCE_PORT); Held second = Held.tcp(b, SHARED_SOURCE_PORT)) {
			String[] seenA = first.greeting().split(" ");
			String[] seenB = second.greeting().split(" ");
			assertThat(seenA[1]).isEqualTo(NODE_ADDRESS);
			assertThat(seenB[1]).isEqualTo(NODE_ADDRESS);
			assertThat(seenA[2]).as("each connection has a node port of its own").isNotEqualTo(seenB[2]);
			assertThat(List.of(seenA[2], seenB[2])).as("the first keeps its port, which is in the range")
				.contains(String.valueOf(SHARED_SOURCE_PORT));
			assertThat(second.send("to-b")).isEqualTo("echo to-b");
			assertThat(first.send("to-a")).isEqualTo("echo to-a");
		}
	}

	@Test
	void udpFromTwoPodsWithTheSameSourcePortIsAnsweredToEach() {
		String fromA = udp(a, SHARED_SOURCE_PORT + 2, 20);
		String fromB = udp(b, SHARED_SOURCE_PORT + 2, 20);
		assertThat(fromA).startsWith("peer " + NODE_ADDRESS + " ");
		assertThat(fromB).startsWith("peer " + NODE_ADDRESS + " ");
	}

	@Test
	void aNonMasqueradeDestinationSeesThePodAddress() throws Exception {
		maps.apply(true, NonMasqueradeCidrs.effective(List.of("10.0.0.0/8", "192.168.205.0/24"), false));
		assertThat(udp(a, 40001, 2)).as("the outside cannot answer a pod address").isEqualTo("timeout");
		assertThat(Files.readAllLines(udpLog)).contains(a.address() + " 40001");
	}

	@Test
	void theDefaultNonMasqueradeCidrsCoverPrivateAddresses() throws Exception {
		maps.apply(true, NonMasqueradeCidrs.effective(List.of(), false));
		assertThat(udp(a, 40002, 2)).isEqualTo("timeout");
		assertThat(Files.readAllLines(udpLog)).contains(a.address() + " 40002");
	}

	@Test
	void nothingIsTranslatedWhenMasqueradingIsOff() throws Exception {
		maps.apply(false, NonMasqueradeCidrs.effective(List.of("10.0.0.0/8"), false));
		assertThat(udp(a, 40003, 2)).isEqualTo("timeout");
		assertThat(Files.readAllLines(udpLog)).contains(a.address() + " 40003");
	}

	@Test
	void aDestinationTheClusterKnowsSeesThePodAddressAndACidrIdentityDoesNot() throws Exception {
		IpcacheMap ipcache = new IpcacheMap(hostLb.map("ipcache"));
		try {
			// a remote node's address: in the cluster, reached with the pod's own address
			ipcache.put(IpAddress.parseLiteral(OUTSIDE_ADDRESS), 32, 6, null);
			assertThat(udp(a, 40004, 2)).isEqualTo("timeout");
			assertThat(Files.readAllLines(udpLog)).contains(a.address() + " 40004");
			// a toCIDR prefix: still outside the cluster
			ipcache.put(IpAddress.parseLiteral(OUTSIDE_ADDRESS), 32, 16777217, null);
			assertThat(udp(a, 40005, 20)).startsWith("peer " + NODE_ADDRESS + " ");
		}
		finally {
			ipcache.remove(IpAddress.parseLiteral(OUTSIDE_ADDRESS), 32);
		}
	}

	private static String udp(PodTopology.Pod pod, int sourcePort, int waitSeconds) {
		return PodTopology
			.exec(pod.namespace(), "python3", "-u", script(), "udp", OUTSIDE_ADDRESS, String.valueOf(UDP_PORT),
					String.valueOf(sourcePort), String.valueOf(waitSeconds))
			.trim();
	}

	private static String ping(PodTopology.Pod pod, int identifier) {
		return PodTopology
			.exec(pod.namespace(), "python3", "-u", script(), "ping", OUTSIDE_ADDRESS, String.valueOf(identifier), "5")
			.trim();
	}

	private static List<String> refused(String protocol, int port, int sourcePort) {
		return PodTopology
			.exec(a.namespace(), "python3", "-u", script(), "refused", protocol, OUTSIDE_ADDRESS, String.valueOf(port),
					String.valueOf(sourcePort), "5")
			.trim()
			.lines()
			.toList();
	}

	private static void run(String... command) {
		PodTopology.Result result = PodTopology.tryRun(command);
		if (result.exitCode() != 0) {
			throw new IllegalStateException(String.join(" ", command) + ": " + result.output());
		}
	}

	static String script() {
		try {
			return Path.of(MasqueradeIT.class.getResource("/nat/masq_peer.py").toURI()).toString();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A TCP connection a pod holds open to the outside server. */
	private record Held(Process process, BufferedReader out, Writer in) implements AutoCloseable {

		static Held tcp(PodTopology.Pod pod, int sourcePort) {
			Process process = PodTopology.start(pod.namespace(), "python3", "-u", script(), "tcp", OUTSIDE_ADDRESS,
					String.valueOf(TCP_PORT), String.valueOf(sourcePort));
			return new Held(process,
					new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
					process.outputWriter(StandardCharsets.UTF_8));
		}

		String greeting() throws IOException {
			return this.out.readLine();
		}

		String send(String line) throws IOException {
			this.in.write(line + "\n");
			this.in.flush();
			return this.out.readLine();
		}

		@Override
		public void close() throws InterruptedException {
			this.process.destroyForcibly().waitFor();
		}

	}

}
