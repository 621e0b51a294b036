package io.jcilium.agent.datapath.lb;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.EndpointsMap;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.common.net.IpAddress;
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
 * The tc LB on real packets: {@code bpf_host.o} on node 1's external and fabric devices,
 * a client in a namespace outside the cluster connecting (python, real sockets) to
 * NodePorts on node 1's address and to LoadBalancer IPs routed to node 1; backends are
 * pods on node 1 (local endpoints) and one pod on node 2 (reached with SNAT). No socket
 * LB here: every translation seen is the tc program's.
 */
class HostLbIT {

	private static final int ATTEMPTS = 30;

	private static OutsideTopology net;

	private static HostLb hostLb;

	private static Backends backends;

	private static LbProgrammer programmer;

	private static Clients clients;

	@BeforeAll
	static void setUp() throws Exception {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "python3", "ss");
		try {
			net = new OutsideTopology().create();
			backends = new Backends();
			for (PodTopology.Pod pod : List.of(net.a(), net.b(), net.r())) {
				backends.tcp(pod, 8080);
				backends.udp(pod, 5353);
			}
			hostLb = HostLb.load(TestLibbpf.get(), DatapathObjects.resolve(HostLb.OBJECT), null,
					new SocketLb.MapSizes(1024, 1024, 1024), HostLb.BackendSelection.RANDOM, 4096);
			EndpointsMap endpoints = new EndpointsMap(hostLb.map("endpoints"));
			for (PodTopology.Pod pod : List.of(net.a(), net.b())) {
				endpoints.put(IpAddress.parseLiteral(pod.address()),
						new DatapathStructs.EndpointInfo(0, 0, 0, new byte[6], new byte[6], 0));
			}
			int external = NetworkNamespace.interfaceIndex(net.node().nodeNamespacePath(), net.externalDevice());
			int fabric = NetworkNamespace.interfaceIndex(net.node().nodeNamespacePath(), net.fabricDevice());
			NetworkNamespace.call(net.node().nodeNamespacePath(), () -> {
				hostLb.attach(external, (Inet4Address) IpAddress.parseLiteral(OutsideTopology.NODE_ADDRESS));
				hostLb.attach(fabric, (Inet4Address) IpAddress.parseLiteral("192.168.204.1"));
				return null;
			});
			programmer = new LbProgrammer(new BpfLbMaps(hostLb.maps(), hostLb.maglevMap()));
			clients = new Clients();
		}
		catch (RuntimeException ex) {
			tearDown();
			throw ex;
		}
	}

	@AfterAll
	static void tearDown() throws Exception {
		if (hostLb != null) {
			// detach where it was attached: the same ifindex in this namespace is another
			// device
			NetworkNamespace.call(net.node().nodeNamespacePath(), () -> {
				hostLb.close();
				return null;
			});
		}
		if (backends != null) {
			backends.close();
		}
		if (net != null) {
			net.close();
		}
	}

	@Test
	void aClientOutsideReachesANodePortSpreadOverTheBackends() {
		service("np", OutsideTopology.NODE_ADDRESS, 30080, Protocol.TCP, FrontendKind.NODE_PORT, net.a(), net.b());
		List<Clients.Result> results = clients.run(net.outside(), "tcp", OutsideTopology.NODE_ADDRESS, 30080, ATTEMPTS);
		assertThat(results).allMatch((r) -> r.error() == null, "connected (the replies were translated back)");
		assertThat(answered(results)).containsExactlyInAnyOrder("a", "b");
	}

	@Test
	void aClientOutsideReachesALoadBalancerIpOverTcpAndUdp() {
		service("lb", "10.96.203.10", 80, Protocol.TCP, FrontendKind.LOAD_BALANCER, net.a(), net.b());
		service("lb-udp", "10.96.203.10", 53, Protocol.UDP, FrontendKind.LOAD_BALANCER, net.a(), net.b());
		assertThat(answered(clients.run(net.outside(), "tcp", "10.96.203.10", 80, ATTEMPTS)))
			.containsExactlyInAnyOrder("a", "b");
		List<Clients.Result> udp = clients.run(net.outside(), "udp", "10.96.203.10", 53, ATTEMPTS);
		assertThat(udp).allMatch((r) -> "10.96.203.10".equals(r.peerAddress()) && r.peerPort() == 53,
				"UDP replies come from the LoadBalancer IP");
		assertThat(answered(udp)).containsExactlyInAnyOrder("a", "b");
	}

	@Test
	void anExternalIpIsServedAndAClusterIpIsNotReachableFromOutside() {
		service("eip", "10.96.203.11", 80, Protocol.TCP, FrontendKind.EXTERNAL_IP, net.a());
		assertThat(answered(clients.run(net.outside(), "tcp", "10.96.203.11", 80, 3))).containsExactly("a");
		service("cip", "10.96.203.12", 80, Protocol.TCP, FrontendKind.CLUSTER_IP, net.a());
		assertThat(clients.run(net.outside(), "tcp", "10.96.203.12", 80, 1)).allMatch((r) -> r.error() != null,
				"a ClusterIP is not a frontend for traffic from outside");
	}

	@Test
	void aBackendOnAnotherNodeIsReachedThroughSnatToThisNode() throws Exception {
		service("remote", "10.96.203.20", 80, Protocol.TCP, FrontendKind.LOAD_BALANCER, net.r());
		Process held = clients.hold(net.outside(), "10.96.203.20", 80);
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(held.getInputStream(), StandardCharsets.UTF_8))) {
			assertThat(out.readLine()).isEqualTo("ok r");
			String connections = PodTopology.exec(net.r().namespace(), "ss", "-Htn", "state", "established");
			assertThat(connections).as("the backend sees node 1's address, not the client's")
				.contains(OutsideTopology.NODE_ADDRESS)
				.doesNotContain(OutsideTopology.CLIENT_ADDRESS);
		}
		finally {
			held.destroyForcibly().waitFor();
		}
	}

	@Test
	void anEstablishedConnectionKeepsItsBackendWhenTheBackendsChange() throws Exception {
		service("keep", "10.96.203.30", 80, Protocol.TCP, FrontendKind.LOAD_BALANCER, net.a());
		Process held = clients.hold(net.outside(), "10.96.203.30", 80);
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(held.getInputStream(), StandardCharsets.UTF_8));
				Writer in = held.outputWriter(StandardCharsets.UTF_8)) {
			assertThat(out.readLine()).isEqualTo("ok a");
			service("keep", "10.96.203.30", 80, Protocol.TCP, FrontendKind.LOAD_BALANCER, net.b());
			in.write("still-a\n");
			in.flush();
			assertThat(out.readLine()).isEqualTo("echo still-a");
			assertThat(answered(clients.run(net.outside(), "tcp", "10.96.203.30", 80, 10)))
				.as("new connections go to the new backend only")
				.containsExactly("b");
		}
		finally {
			held.destroyForcibly().waitFor();
		}
	}

	@Test
	void aServiceWithoutBackendsRefusesAtOnceInsteadOfTimingOut() {
		service("empty", "10.96.203.40", 80, Protocol.TCP, FrontendKind.LOAD_BALANCER);
		service("empty-udp", "10.96.203.40", 53, Protocol.UDP, FrontendKind.LOAD_BALANCER);
		service("empty-np", OutsideTopology.NODE_ADDRESS, 30090, Protocol.TCP, FrontendKind.NODE_PORT);
		assertThat(clients.run(net.outside(), "tcp", "10.96.203.40", 80, 3))
			.allMatch((r) -> "ECONNREFUSED".equals(r.error()), "connect() refused, not timed out");
		assertThat(clients.run(net.outside(), "udpc", "10.96.203.40", 53, 3))
			.allMatch((r) -> "ECONNREFUSED".equals(r.error()), "ICMP port unreachable on a connected UDP socket");
		assertThat(clients.run(net.outside(), "tcp", OutsideTopology.NODE_ADDRESS, 30090, 3))
			.allMatch((r) -> "ECONNREFUSED".equals(r.error()), "NodePort refused too");
	}

	@Test
	void anIcmpErrorFromABackendReachesTheClientAsFromTheService() {
		// nothing listens on 5354 in the backends: their kernels answer port unreachable
		// about the packet they got (client or node:port -> backend:5354)
		udpService("icmp-local", "10.96.203.60", net.a());
		udpService("icmp-remote", "10.96.203.61", net.r());
		for (String vip : List.of("10.96.203.60", "10.96.203.61")) {
			assertThat(clients.run(net.outside(), "udperr", vip, 53, 3)).as(vip)
				.allSatisfy((r) -> assertThat(r).extracting(Clients.Result::error, Clients.Result::peerAddress)
					.as("refused at once (the quote names the client's socket), the error sent by the service")
					.containsExactly("ECONNREFUSED", vip));
		}
	}

	@Test
	void clientIpAffinityKeepsAClientOutsideOnOneBackend() {
		L4Address frontend = L4Address.of("10.96.203.50", 80, Protocol.TCP);
		int flags = FrontendKind.LOAD_BALANCER.flag() | FrontendKind.AFFINITY;
		programmer.apply(new ServiceName("test", "sticky"),
				List.of(new LbFrontend(new FrontendKey(frontend, Scope.EXTERNAL), FrontendKind.LOAD_BALANCER, flags,
						3600, List.of(L4Address.of(net.a().address(), 8080, Protocol.TCP),
								L4Address.of(net.b().address(), 8080, Protocol.TCP)))));
		List<Clients.Result> results = clients.run(net.outside(), "tcp", "10.96.203.50", 80, ATTEMPTS);
		assertThat(results).allMatch((r) -> r.error() == null, "connected");
		assertThat(answered(results)).hasSize(1);
	}

	private static void service(String name, String vip, int port, Protocol protocol, FrontendKind kind,
			PodTopology.Pod... pods) {
		L4Address frontend = L4Address.of(vip, port, protocol);
		int backendPort = (protocol == Protocol.UDP) ? 5353 : 8080;
		List<L4Address> addresses = Arrays.stream(pods)
			.map((pod) -> L4Address.of(pod.address(), backendPort, protocol))
			.toList();
		programmer.apply(new ServiceName("test", name),
				List.of(new LbFrontend(new FrontendKey(frontend, Scope.EXTERNAL), kind, kind.flag(), 0, addresses)));
	}

	private static void udpService(String name, String vip, PodTopology.Pod pod) {
		programmer.apply(new ServiceName("test", name),
				List.of(new LbFrontend(new FrontendKey(L4Address.of(vip, 53, Protocol.UDP), Scope.EXTERNAL),
						FrontendKind.LOAD_BALANCER, FrontendKind.LOAD_BALANCER.flag(), 0,
						List.of(L4Address.of(pod.address(), 5354, Protocol.UDP)))));
	}

	private static Set<String> answered(List<Clients.Result> results) {
		return results.stream().map(Clients.Result::backend).collect(Collectors.toSet());
	}

}
