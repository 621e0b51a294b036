package io.jcilium.agent.datapath.lb;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.common.net.Protocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.service.lb.FrontendKey;
import io.jcilium.agent.service.lb.FrontendKind;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbFrontend;
import io.jcilium.agent.service.lb.LbProgrammer;
import io.jcilium.agent.service.lb.Scope;
import io.jcilium.agent.service.lb.ServiceName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Socket LB on real sockets: {@code bpf_sock.o} attached to a test cgroup, clients
 * (python, a real application's syscalls) started in it inside pod and node namespaces,
 * backends in other pod namespaces. Every service has its own ClusterIP.
 */
class SocketLbIT {

	private static final int ATTEMPTS = 30;

	private static PodTopology topology;

	private static TestCgroup cgroup;

	private static SocketLb socketLb;

	private static Backends backends;

	private static LbProgrammer programmer;

	private static Clients clients;

	private static PodTopology.Pod a;

	private static PodTopology.Pod b;

	private static PodTopology.Pod c;

	private static PodTopology.Pod client;

	@BeforeAll
	static void setUp() throws Exception {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "python3");
		try {
			topology = new PodTopology().createNode();
			a = topology.addPod("a", "10.201.0.1", "fd00:201::1");
			b = topology.addPod("b", "10.201.0.2", "fd00:201::2");
			c = topology.addPod("c", "10.201.0.3", "fd00:201::3");
			client = topology.addPod("z", "10.201.0.9", "fd00:201::9");
			backends = new Backends();
			for (PodTopology.Pod pod : List.of(a, b, c)) {
				backends.tcp(pod, 8080);
				backends.udp(pod, 5353);
			}
			cgroup = TestCgroup.create();
			socketLb = SocketLb.load(TestLibbpf.get(), DatapathObjects.resolve(SocketLb.OBJECT), null,
					new SocketLb.MapSizes(1024, 1024, 1024));
			socketLb.attach(cgroup.path());
			programmer = new LbProgrammer(new BpfLbMaps(socketLb.maps()));
			clients = new Clients(cgroup);
		}
		catch (RuntimeException ex) {
			tearDown();
			throw ex;
		}
	}

	@AfterAll
	static void tearDown() throws Exception {
		if (socketLb != null) {
			socketLb.close();
		}
		if (cgroup != null) {
			cgroup.close();
		}
		if (backends != null) {
			backends.close();
		}
		if (topology != null) {
			topology.close();
		}
	}

	@Test
	void podToClusterIpTcpSpreadsOverBackendsAndGetpeernameShowsTheService() {
		service("tcp", "10.96.201.10", 80, Protocol.TCP, 0, a, b, c);
		List<Clients.Result> results = clients.run(client.namespace(), "tcp", "10.96.201.10", 80, ATTEMPTS);
		assertThat(results).hasSize(ATTEMPTS).allMatch((r) -> r.error() == null, "connected");
		assertThat(answered(results)).containsExactlyInAnyOrder("a", "b", "c");
		assertThat(results).allMatch((r) -> r.peerAddress().equals("10.96.201.10") && r.peerPort() == 80,
				"getpeername() returns the service address");
	}

	@Test
	void udpRepliesAppearToComeFromTheService() {
		service("udp", "10.96.201.53", 53, Protocol.UDP, 0, a, b, c);
		List<Clients.Result> results = clients.run(client.namespace(), "udp", "10.96.201.53", 53, ATTEMPTS);
		assertThat(results).allMatch((r) -> r.error() == null, "answered");
		assertThat(answered(results)).containsExactlyInAnyOrder("a", "b", "c");
		assertThat(results).allMatch((r) -> r.peerAddress().equals("10.96.201.53") && r.peerPort() == 53,
				"recvfrom() shows the service as the source");
	}

	@Test
	void theHostReachesAClusterIpToo() {
		service("host", "10.96.201.11", 80, Protocol.TCP, 0, a, b);
		List<Clients.Result> results = clients.run(topology.nodeNamespace(), "tcp", "10.96.201.11", 80, ATTEMPTS);
		assertThat(results).allMatch((r) -> r.error() == null, "connected");
		assertThat(answered(results)).containsExactlyInAnyOrder("a", "b");
	}

	@Test
	void aPodReachesItsOwnServiceThroughItself() {
		service("hairpin", "10.96.201.12", 80, Protocol.TCP, 0, a);
		List<Clients.Result> results = clients.run(a.namespace(), "tcp", "10.96.201.12", 80, 3);
		assertThat(results).allMatch((r) -> "a".equals(r.backend()), "hairpin to itself");
	}

	@Test
	void aServiceWithoutBackendsRefusesAtOnceInsteadOfTimingOut() {
		service("empty-tcp", "10.96.201.13", 80, Protocol.TCP, 0);
		service("empty-udp", "10.96.201.13", 53, Protocol.UDP, 0);
		assertThat(clients.run(client.namespace(), "tcp", "10.96.201.13", 80, 3))
			.allMatch((r) -> "ECONNREFUSED".equals(r.error()), "connect() refused");
		assertThat(clients.run(client.namespace(), "udp", "10.96.201.13", 53, 3))
			.allMatch((r) -> "ECONNREFUSED".equals(r.error()), "sendto() refused");
	}

	@Test
	void scaleOutIsPickedUpAndARemovedBackendGetsNoNewConnections() {
		service("scale", "10.96.201.14", 80, Protocol.TCP, 0, a, b);
		assertThat(answered(clients.run(client.namespace(), "tcp", "10.96.201.14", 80, ATTEMPTS)))
			.containsExactlyInAnyOrder("a", "b");
		service("scale", "10.96.201.14", 80, Protocol.TCP, 0, a, b, c);
		assertThat(answered(clients.run(client.namespace(), "tcp", "10.96.201.14", 80, ATTEMPTS))).contains("c");
		service("scale", "10.96.201.14", 80, Protocol.TCP, 0, b, c);
		assertThat(answered(clients.run(client.namespace(), "tcp", "10.96.201.14", 80, ATTEMPTS)))
			.containsExactlyInAnyOrder("b", "c");
	}

	@Test
	void aConnectionToARemovedBackendRunsOn() throws Exception {
		service("drain", "10.96.201.15", 80, Protocol.TCP, 0, b);
		Process held = clients.hold(client.namespace(), "10.96.201.15", 80);
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(held.getInputStream(), StandardCharsets.UTF_8));
				Writer in = held.outputWriter(StandardCharsets.UTF_8)) {
			assertThat(out.readLine()).isEqualTo("ok b");
			service("drain", "10.96.201.15", 80, Protocol.TCP, 0, c);
			in.write("still-there\n");
			in.flush();
			assertThat(out.readLine()).isEqualTo("echo still-there");
			assertThat(answered(clients.run(client.namespace(), "tcp", "10.96.201.15", 80, 10))).containsExactly("c");
		}
		finally {
			held.destroyForcibly().waitFor();
		}
	}

	@Test
	void ipv6ClusterIp() {
		service("v6", "fd00:96::201", 80, Protocol.TCP, 0, a, b);
		List<Clients.Result> results = clients.run(client.namespace(), "tcp", "fd00:96::201", 80, ATTEMPTS);
		assertThat(results).allMatch((r) -> r.error() == null, "connected");
		assertThat(answered(results)).containsExactlyInAnyOrder("a", "b");
		assertThat(results).allMatch((r) -> r.peerAddress().equals("fd00:96::201"), "getpeername() over IPv6");
	}

	@Test
	void ipv6UdpRepliesComeFromTheServiceAndAnEmptyIpv6ServiceRefuses() {
		service("v6-udp", "fd00:96::253", 53, Protocol.UDP, 0, a, b, c);
		List<Clients.Result> results = clients.run(client.namespace(), "udp", "fd00:96::253", 53, ATTEMPTS);
		assertThat(results).allMatch((r) -> r.error() == null, "answered");
		assertThat(answered(results)).containsExactlyInAnyOrder("a", "b", "c");
		assertThat(results).allMatch((r) -> r.peerAddress().equals("fd00:96::253") && r.peerPort() == 53,
				"recvfrom() over IPv6 shows the service as the source (recvmsg6)");
		assertThat(clients.run(client.namespace(), "udpc", "fd00:96::253", 53, 5)).allMatch(
				(r) -> r.error() == null && r.peerAddress().equals("fd00:96::253"),
				"connected UDP: getpeername() over IPv6 shows the service");

		service("v6-empty", "fd00:96::254", 80, Protocol.TCP, 0);
		assertThat(clients.run(client.namespace(), "tcp", "fd00:96::254", 80, 3))
			.allMatch((r) -> "ECONNREFUSED".equals(r.error()), "connect6() refused");
	}

	@Test
	void clientIpAffinityKeepsAClientOnOneBackend() {
		service("sticky", "10.96.201.16", 80, Protocol.TCP, 3600, a, b, c);
		Set<String> seen = answered(clients.run(client.namespace(), "tcp", "10.96.201.16", 80, ATTEMPTS));
		assertThat(seen).hasSize(1);
	}

	private static void service(String name, String vip, int port, Protocol protocol, int affinitySeconds,
			PodTopology.Pod... pods) {
		L4Address frontend = L4Address.of(vip, port, protocol);
		int backendPort = (protocol == Protocol.UDP) ? 5353 : 8080;
		List<L4Address> addresses = java.util.Arrays.stream(pods)
			.map((pod) -> L4Address.of(frontend.isIpv4() ? pod.address() : pod.address6(), backendPort, protocol))
			.toList();
		int flags = FrontendKind.CLUSTER_IP.flag() | ((affinitySeconds > 0) ? FrontendKind.AFFINITY : 0);
		programmer.apply(new ServiceName("test", name),
				List.of(new LbFrontend(new FrontendKey(frontend, Scope.EXTERNAL), FrontendKind.CLUSTER_IP, flags,
						affinitySeconds, addresses)));
	}

	private static Set<String> answered(List<Clients.Result> results) {
		return results.stream().map(Clients.Result::backend).collect(Collectors.toSet());
	}

}
