package io.jcilium.agent.datapath;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jcilium.agent.datapath.events.DatapathEvent;
import io.jcilium.common.datapath.DropReason;
import io.jcilium.agent.datapath.events.EventReader;
import io.jcilium.agent.datapath.events.EventType;
import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.loader.EndpointProgramLoader;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.PolicyMap;
import io.jcilium.agent.datapath.maps.PolicyEntries;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.agent.datapath.tc.TcAttachPoint;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real packets between two pod namespaces through the node namespace, with bpf_lxc
 * attached by libbpf's tc API on both host-side veths and maps programmed from Java.
 */
class DatapathTrafficIT {

	static final int IDENTITY_A = 1001;

	static final int IDENTITY_B = 1002;

	private PodTopology topology;

	private BpffsLayout layout;

	private PodTopology.Pod podA;

	private PodTopology.Pod podB;

	private final List<EndpointProgram> programs = new ArrayList<>();

	private EventReader reader;

	private final BlockingQueue<DatapathEvent> events = new LinkedBlockingQueue<>();

	@BeforeEach
	void setUp() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "ping", "sysctl");
		this.topology = new PodTopology();
		this.layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT, "jcilium-it-" + this.topology.runId());
		this.topology.createNode();
		this.podA = this.topology.addPod("a", "10.200.0.1", "fd00:200::1");
		this.podB = this.topology.addPod("b", "10.200.0.2", "fd00:200::2");
		startAgent();
		EndpointProgram a = this.programs.get(0);
		int endpointId = 1;
		for (PodTopology.Pod pod : List.of(this.podA, this.podB)) {
			int identity = (pod == this.podA) ? IDENTITY_A : IDENTITY_B;
			// the endpoints map makes the pods deliver to each other directly (local
			// delivery, the default path); both address families
			DatapathStructs.EndpointInfo info = new DatapathStructs.EndpointInfo(ifindex(pod), endpointId++, 0,
					pod.mac(), this.topology.hostMac(pod), identity);
			for (String address : List.of(pod.address(), pod.address6())) {
				a.ipcache().put(Packets.parse(address), address.contains(":") ? 128 : 32, identity, null);
				a.endpoints().put(Packets.parse(address), info);
			}
		}
		// A may send anywhere; B accepts A on TCP 8080, UDP 9090 and ping; A accepts
		// nothing unsolicited
		a.policy().put(PolicyEntries.allowAll(TrafficDirection.EGRESS));
		EndpointProgram b = this.programs.get(1);
		b.policy().put(PolicyEntries.allowAll(TrafficDirection.EGRESS));
		b.policy().put(PolicyEntries.ports(IDENTITY_A, TrafficDirection.INGRESS, PolicyEntries.TCP, 8080, 8080, false));
		b.policy().put(PolicyEntries.ports(IDENTITY_A, TrafficDirection.INGRESS, PolicyEntries.UDP, 9090, 9090, false));
		b.policy().put(PolicyEntries.icmp(IDENTITY_A, TrafficDirection.INGRESS, PolicyEntries.ICMP, 8, false));
		b.policy().put(PolicyEntries.icmp(IDENTITY_A, TrafficDirection.INGRESS, PolicyEntries.ICMPV6, 128, false));
	}

	/**
	 * What the agent does on start: load per endpoint (reusing pins), attach, read
	 * events.
	 */
	private void startAgent() {
		EndpointProgramLoader loader = new EndpointProgramLoader(TestLibbpf.get(),
				DatapathObjects.resolve(DatapathObjects.LXC), this.layout);
		int endpointId = 1;
		for (PodTopology.Pod pod : List.of(this.podA, this.podB)) {
			int ifindex = ifindex(pod);
			int identity = (pod == this.podA) ? IDENTITY_A : IDENTITY_B;
			EndpointProgram program = loader.load(new DatapathStructs.LxcConfig(endpointId++, identity, ifindex, 0));
			this.programs.add(program);
			NetworkNamespace.call(this.topology.nodeNamespacePath(), () -> {
				TestLibbpf.tcHooks().attach(ifindex, TcAttachPoint.INGRESS, program.fromContainer());
				TestLibbpf.tcHooks().attach(ifindex, TcAttachPoint.EGRESS, program.toContainer());
				return null;
			});
		}
		this.reader = new EventReader(this.programs.get(0).events(), this.events::add);
		this.reader.start();
	}

	/**
	 * What stopping the agent leaves behind: nothing held by Java, programs and pins in
	 * the kernel.
	 */
	private void stopAgent() {
		if (this.reader != null) {
			this.reader.close();
			this.reader = null;
		}
		this.programs.forEach(EndpointProgram::close);
		this.programs.clear();
	}

	@AfterEach
	void tearDown() {
		stopAgent();
		if (this.topology != null) {
			this.topology.close();
		}
		if (this.layout != null) {
			this.layout.removeAll();
		}
	}

	@Test
	void allowedTrafficFlowsAndDeniedTrafficDoesNot() throws Exception {
		assertThat(PodTraffic.ping(this.podA, this.podB, 3)).as("A pings B").isEqualTo(3);
		assertThat(PodTraffic.ping(this.podB, this.podA, 2)).as("B pings A (A has no ingress allow)").isZero();

		assertThat(tcpExchange(this.podA, this.podB, 8080)).isEqualTo("hello over 8080");
		assertBlocked(() -> tcpExchange(this.podA, this.podB, 8081));

		assertThat(PodTraffic.udpDelivered(this.podA, this.podB, 9090)).isTrue();
		assertThat(PodTraffic.udpDelivered(this.podA, this.podB, 9091)).isFalse();

		DatapathEvent drop = awaitDrop((e) -> e.destinationPort() == 9091);
		assertThat(drop.dropReason()).isEqualTo(DropReason.POLICY_DENIED);
		assertThat(drop.sourceIdentity()).isEqualTo(IDENTITY_A);
		assertThat(drop.destinationIdentity()).isEqualTo(IDENTITY_B);
		assertThat(drop.endpointId()).isEqualTo(2);
		DatapathEvent icmpDrop = awaitDrop((e) -> e.header().protocol() == 1);
		assertThat(icmpDrop.sourceIdentity()).isEqualTo(IDENTITY_B);
		assertThat(icmpDrop.destinationIdentity()).isEqualTo(IDENTITY_A);
	}

	@Test
	void podToPodTrafficTakesTheLocalDeliveryPath() throws Exception {
		// With B's to-container hook gone only the local delivery path (A's
		// from-container tail-calling B's lxc_policy) can still apply B's ingress policy.
		int ifindexB = ifindex(this.podB);
		NetworkNamespace.call(this.topology.nodeNamespacePath(),
				() -> TestLibbpf.tcHooks().detach(ifindexB, TcAttachPoint.EGRESS));

		assertThat(tcpExchange(this.podA, this.podB, 8080)).isEqualTo("hello over 8080");
		assertBlocked(() -> tcpExchange(this.podA, this.podB, 8081));
		assertThat(PodTraffic.ping(this.podA, this.podB, 2)).isEqualTo(2);
		assertThat(PodTraffic.ping(this.podA, this.podB.address6(), 2)).isEqualTo(2);

		// unregistered, B is reached through the routing stack, where nothing checks
		// its ingress any more: proof the policy above was applied on the local path
		this.programs.get(1).unregisterLocalDelivery();
		assertThat(tcpExchange(this.podA, this.podB, 8081)).isEqualTo("hello over 8081");
	}

	@Test
	void ipv6AllowedTrafficFlowsAndDeniedTrafficDropsWithEvents() throws Exception {
		assertThat(PodTraffic.ping(this.podA, this.podB.address6(), 3)).as("A pings B over IPv6").isEqualTo(3);
		assertThat(PodTraffic.ping(this.podB, this.podA.address6(), 2)).as("B pings A over IPv6 (not allowed)")
			.isZero();

		assertThat(tcpExchange(this.podA, this.podB, this.podB.address6(), 8080)).isEqualTo("hello over 8080");
		assertBlocked(() -> tcpExchange(this.podA, this.podB, this.podB.address6(), 8081));

		DatapathEvent tcpDrop = awaitDrop((e) -> e.ipv6() && e.destinationPort() == 8081);
		assertThat(tcpDrop.dropReason()).isEqualTo(DropReason.POLICY_DENIED);
		assertThat(tcpDrop.sourceIdentity()).isEqualTo(IDENTITY_A);
		assertThat(tcpDrop.destinationIdentity()).isEqualTo(IDENTITY_B);
		assertThat(tcpDrop.endpointId()).isEqualTo(2);
		assertThat(tcpDrop.source()).isEqualTo(Packets.parse(this.podA.address6()));
		DatapathEvent pingDrop = awaitDrop((e) -> e.ipv6() && e.header().protocol() == PolicyEntries.ICMPV6);
		assertThat(pingDrop.dropReason()).isEqualTo(DropReason.POLICY_DENIED);
		assertThat(pingDrop.sourceIdentity()).isEqualTo(IDENTITY_B);
		assertThat(pingDrop.destinationIdentity()).isEqualTo(IDENTITY_A);
		assertThat(pingDrop.endpointId()).isEqualTo(1);
	}

	@Test
	void mapChangeAppliesToTheNextConnection() throws Exception {
		assertBlocked(() -> tcpExchange(this.podA, this.podB, 8081));

		List<MapEntry> allow8081 = PolicyEntries.ports(IDENTITY_A, TrafficDirection.INGRESS, PolicyEntries.TCP, 8081,
				8081, false);
		this.programs.get(1).policy().put(allow8081);
		assertThat(tcpExchange(this.podA, this.podB, 8081)).isEqualTo("hello over 8081");

		this.programs.get(1)
			.policy()
			.put(PolicyEntries.ports(IDENTITY_A, TrafficDirection.INGRESS, PolicyEntries.TCP, 8081, 8081, true));
		assertBlocked(() -> tcpExchange(this.podA, this.podB, 8081));
	}

	@Test
	void trafficKeepsFlowingWhileTheAgentRestartsAndReattachesToPinnedMaps() throws Exception {
		int count = 600;
		// 600 pings 10 ms apart: ~6 s of traffic spanning the whole restart
		Process ping = PodTopology.start(this.podA.namespace(), "ping", "-n", "-i", "0.01", "-c", String.valueOf(count),
				"-W", "2", this.podB.address());
		try {
			Thread.sleep(1000);
			stopAgent();
			Thread.sleep(500);
			startAgent();

			assertThat(ping.waitFor(30, TimeUnit.SECONDS)).as("ping finished").isTrue();
			String output = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			Matcher stats = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(output);
			assertThat(stats.find()).as(output).isTrue();
			assertThat(Integer.parseInt(stats.group(1))).isEqualTo(count);
			assertThat(Integer.parseInt(stats.group(2))).as("no ping lost during the restart").isEqualTo(count);
		}
		finally {
			ping.destroyForcibly();
		}

		// the restarted side found the policy a previous run pinned, without
		// re-programming it
		Map<DatapathStructs.PolicyKey, DatapathStructs.PolicyEntry> policy = this.programs.get(1).policy().entries();
		assertThat(policy).containsKey(new DatapathStructs.PolicyKey(IDENTITY_A, false, 6, 8080, 64));
		assertThat(policy.get(new DatapathStructs.PolicyKey(IDENTITY_A, false, 1, 8 << 8, 56)).packets())
			.as("every echo request and reply charged to the entry that admitted the exchange, across both runs")
			.isGreaterThanOrEqualTo(2L * count);
		// the pinned conntrack entry kept counting across both runs
		long echoRequests = this.programs.get(1)
			.conntrack()
			.entries()
			.entrySet()
			.stream()
			.filter((e) -> e.getKey().protocol() == 1 && e.getKey().direction() == 1
					&& e.getKey().source().equals(Packets.parse(this.podA.address())))
			.mapToLong((e) -> e.getValue().packets())
			.max()
			.orElse(0);
		assertThat(echoRequests).isGreaterThanOrEqualTo(count);
		try (BpfMap pinned = BpfMap.openPinned(TestLibbpf.get(), this.layout.policyMap(2))) {
			assertThat(new PolicyMap(pinned).entries()).hasSameSizeAs(policy);
		}
		assertThat(tcpExchange(this.podA, this.podB, 8080)).isEqualTo("hello over 8080");
	}

	/**
	 * A dropped SYN shows as a connect timeout, possibly wrapped by the namespace thread.
	 */
	private static void assertBlocked(ThrowableAssert.ThrowingCallable exchange) {
		assertThatThrownBy(exchange).matches(DatapathTrafficIT::isTimeout, "a timeout (SYN dropped)");
	}

	private static boolean isTimeout(Throwable thrown) {
		for (Throwable t = thrown; t != null; t = t.getCause()) {
			if (t instanceof SocketTimeoutException) {
				return true;
			}
		}
		return false;
	}

	private int ifindex(PodTopology.Pod pod) {
		return NetworkNamespace.interfaceIndex(this.topology.nodeNamespacePath(), pod.hostInterface());
	}

	/**
	 * Server socket in B's namespace, client in A's: a socket belongs to the namespace
	 * its fd was created in, so both are created (bound/connected) on the namespace's
	 * thread.
	 */
	private static String tcpExchange(PodTopology.Pod client, PodTopology.Pod server, int port) throws Exception {
		return tcpExchange(client, server, server.address(), port);
	}

	private static String tcpExchange(PodTopology.Pod client, PodTopology.Pod server, String serverAddress, int port)
			throws Exception {
		try (ServerSocket listener = NetworkNamespace.call(server.namespacePath(), () -> {
			ServerSocket socket = new ServerSocket();
			socket.bind(new InetSocketAddress(serverAddress, port));
			return socket;
		})) {
			listener.setSoTimeout(3000);
			try (Socket socket = NetworkNamespace.call(client.namespacePath(), () -> {
				Socket connecting = new Socket();
				try {
					connecting.connect(new InetSocketAddress(serverAddress, port), 1500);
					return connecting;
				}
				catch (IOException ex) {
					connecting.close();
					throw ex;
				}
			}); Socket accepted = listener.accept()) {
				socket.setSoTimeout(3000);
				OutputStream out = socket.getOutputStream();
				out.write(("hello over " + port).getBytes(StandardCharsets.UTF_8));
				socket.shutdownOutput();
				InputStream in = accepted.getInputStream();
				String received = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				accepted.getOutputStream().write(received.getBytes(StandardCharsets.UTF_8));
				accepted.shutdownOutput();
				return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			}
		}
	}

	private DatapathEvent awaitDrop(java.util.function.Predicate<DatapathEvent> match) throws InterruptedException {
		List<DatapathEvent> seen = new ArrayList<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		for (DatapathEvent event : this.events) {
			if (event.type() == EventType.DROP && match.test(event)) {
				return event;
			}
		}
		while (System.nanoTime() < deadline) {
			DatapathEvent event = this.events.poll(100, TimeUnit.MILLISECONDS);
			if (event != null && event.type() == EventType.DROP && match.test(event)) {
				return event;
			}
			if (event != null) {
				seen.add(event);
			}
		}
		throw new AssertionError("no matching drop event within 5 s; saw " + seen);
	}

}
