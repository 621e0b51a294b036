package io.jcilium.bgp.nodeconfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.ServedLoadBalancerIp;
import io.jcilium.api.crd.v2.CiliumBGPAdvertisement;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.bgp.agentstate.AgentNodeState;
import io.jcilium.bgp.agentstate.TestAgent;
import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.reconcile.SpeakerReconciler;
import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.PeerStatus;
import io.jcilium.bgp.session.SpeakerConfig;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18 point 4 through real BGP: the speaker configured from fabric8's CRUD mock API
 * server advertises what the local agent's {@code NodeStateService} (over gRPC) says the
 * node has: its pod CIDRs and the LoadBalancer/external IPs of the services a
 * CiliumBGPAdvertisement selects, leaving out a {@code Local} service without a local
 * backend; a router on loopback (a speaker of ours) receives them, and their withdrawal
 * as soon as the agent says a service is gone or lost its local backend. While the agent
 * restarts the routes stay, without touching the session; its first state then counts.
 */
@EnableKubernetesMockClient(crud = true)
class AgentAdvertisementsIT {

	private static final String NODE = "127.0.0.81";

	private static final String ROUTER = "127.0.0.82";

	static KubernetesClient client;

	private final SpeakerReconciler reconciler = new SpeakerReconciler((config) -> new BgpSpeaker(config, 1));

	private final TestAgent agent = new TestAgent();

	private final String agentName = "agent-" + UUID.randomUUID();

	private Server agentServer;

	private ManagedChannel agentChannel;

	private AgentNodeState agentState;

	private NodeConfigWatcher watcher;

	private BgpSpeaker router;

	@BeforeAll
	static void registerCrds() throws IOException {
		for (String plural : List.of("ciliumbgpnodeconfigs", "ciliumbgppeerconfigs", "ciliumbgpadvertisements",
				"ciliumnodes", "ciliumbgppeeringpolicies", "ciliumpodippools")) {
			try (InputStream in = Objects.requireNonNull(AgentAdvertisementsIT.class
				.getResourceAsStream("/META-INF/fabric8/" + plural + ".cilium.io-v1.yml"), plural)) {
				client.apiextensions()
					.v1()
					.customResourceDefinitions()
					.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
					.createOr((existing) -> existing.update());
			}
		}
	}

	@BeforeEach
	void start() throws Exception {
		this.agentServer = InProcessServerBuilder.forName(this.agentName).addService(this.agent).build().start();
		this.agentChannel = InProcessChannelBuilder.forName(this.agentName).build();
		this.agentState = new AgentNodeState(this.agentChannel);
		InetAddress ip = InetAddress.getByName(ROUTER);
		this.router = new BgpSpeaker(new SpeakerConfig(65100, ip, ip, 0, false), 1);
		this.router.start();
		this.router.addNeighbour(new NeighbourConfig(InetAddress.getByName(NODE), 179, 65000, true, 90, 1,
				Set.of(AddressFamily.IPV4_UNICAST), 0, null));
	}

	@AfterEach
	void stop() {
		if (this.watcher != null) {
			this.watcher.close();
		}
		this.agentState.close();
		this.reconciler.close();
		this.router.stop(true);
		this.agentChannel.shutdownNow();
		this.agentServer.shutdownNow();
		client.resources(CiliumBGPNodeConfig.class).delete();
		client.resources(CiliumBGPPeerConfig.class).delete();
		client.resources(CiliumBGPAdvertisement.class).delete();
	}

	@Test
	void theAgentsPodCidrsAndSelectedServiceAddressesAreAdvertisedAndWithdrawn() throws Exception {
		client.resource(read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPPeerConfig
				metadata: {name: router}
				spec:
				  transport: {peerPort: %d}
				  timers: {connectRetryTimeSeconds: 1}
				  families:
				  - {afi: ipv4, safi: unicast, advertisements: {matchLabels: {advertise: bgp}}}
				""".formatted(this.router.listenPort()), CiliumBGPPeerConfig.class)).create();
		client.resource(read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPAdvertisement
				metadata: {name: pods-and-web, labels: {advertise: bgp}}
				spec:
				  advertisements:
				  - advertisementType: PodCIDR
				  - advertisementType: Service
				    service: {addresses: [LoadBalancerIP, ExternalIP]}
				    selector: {matchLabels: {app: web}}
				    attributes: {communities: {standard: ["65000:100"]}}
				  - advertisementType: Service
				    service: {addresses: [LoadBalancerIP]}
				    selector: {matchLabels: {io.kubernetes.service.namespace: billing}}
				""", CiliumBGPAdvertisement.class)).create();
		client.resource(read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPNodeConfig
				metadata: {name: worker-1}
				spec:
				  bgpInstances:
				  - name: instance-65000
				    localASN: 65000
				    routerID: 192.0.2.81
				    localPort: %d
				    peers:
				    - {name: router, peerASN: 65100, peerAddress: %s, localAddress: %s, peerConfigRef: {name: router}}
				""".formatted(freePort(), ROUTER, NODE), CiliumBGPNodeConfig.class)).create();

		this.agent.push(NodeState.newBuilder()
			.setNodeName("worker-1")
			.addPodCidrs("10.81.0.0/24")
			.addPodCidrs("fd00:81::/64") // an IPv6 prefix: not for the IPv4 family
			.addLoadBalancerIps(served("shop", "web", "172.16.0.100", "LoadBalancerIP", false, false))
			.addLoadBalancerIps(served("shop", "web", "172.16.0.7", "ExternalIP", false, false))
			.addLoadBalancerIps(served("shop", "web-local", "172.16.0.101", "LoadBalancerIP", true, false))
			.addLoadBalancerIps(served("shop", "other", "172.16.0.102", "LoadBalancerIP", false, false))
			.addLoadBalancerIps(served("billing", "pay", "172.16.0.103", "LoadBalancerIP", false, false))
			.addLoadBalancerIps(served("billing", "pay", "172.16.0.104", "ExternalIP", false, false))
			.build());
		this.watcher = new NodeConfigWatcher(client, "worker-1", this.reconciler, Duration.ofSeconds(30),
				this.agentState::latest);
		this.agentState.onChange(this.watcher::changed);
		this.agentState.start();
		this.watcher.start();

		await(() -> received() == 4, () -> "the router received 4 routes; we advertise " + advertised());
		assertThat(advertised())
			.as("pod CIDR, web's two addresses, billing's LoadBalancer IP; not the Local "
					+ "service without a local backend, not an unselected service, not billing's ExternalIP")
			.containsExactlyInAnyOrder("10.81.0.0/24", "172.16.0.100/32", "172.16.0.7/32", "172.16.0.103/32");
		long beforeChanges = System.nanoTime();

		this.agent.push(NodeState.newBuilder()
			.setNodeName("worker-1")
			.addPodCidrs("10.81.0.0/24")
			.addLoadBalancerIps(served("shop", "web", "172.16.0.100", "LoadBalancerIP", false, false))
			.addLoadBalancerIps(served("shop", "web", "172.16.0.7", "ExternalIP", false, false))
			.addLoadBalancerIps(served("shop", "web-local", "172.16.0.101", "LoadBalancerIP", true, true))
			.build());
		await(() -> received() == 4 && advertised().contains("172.16.0.101/32"),
				() -> "a Local service with a backend here is advertised, billing's address withdrawn; we advertise "
						+ advertised());
		assertThat(advertised()).containsExactlyInAnyOrder("10.81.0.0/24", "172.16.0.100/32", "172.16.0.7/32",
				"172.16.0.101/32");

		this.agent.push(NodeState.newBuilder()
			.setNodeName("worker-1")
			.addPodCidrs("10.81.0.0/24")
			.addLoadBalancerIps(served("shop", "web-local", "172.16.0.101", "LoadBalancerIP", true, false))
			.build());
		await(() -> received() == 1, () -> "the deleted service and the one without a local backend any more "
				+ "are withdrawn; we advertise " + advertised());
		assertThat(advertised()).containsExactly("10.81.0.0/24");

		// The agent restarts: while it is away the routes stay; its first state counts.
		this.agentServer.shutdownNow().awaitTermination();
		await(() -> this.agentState.job().status().lastError().isPresent(), "the lost agent is the job's last error");
		assertThat(advertised()).containsExactly("10.81.0.0/24");
		TestAgent restarted = new TestAgent();
		restarted.push(NodeState.newBuilder()
			.setNodeName("worker-1")
			.addPodCidrs("10.81.0.0/24")
			.addLoadBalancerIps(served("shop", "web", "172.16.0.100", "LoadBalancerIP", false, false))
			.build());
		this.agentServer = InProcessServerBuilder.forName(this.agentName).addService(restarted).build().start();
		await(() -> received() == 2,
				() -> "after reconnecting, the agent's new state is advertised; we advertise " + advertised());
		assertThat(upSince()).as("the BGP session never went down").isLessThan(beforeChanges);
	}

	private static ServedLoadBalancerIp served(String namespace, String name, String ip, String kind, boolean local,
			boolean localBackends) {
		return ServedLoadBalancerIp.newBuilder()
			.setServiceNamespace(namespace)
			.setServiceName(name)
			.setIp(ip)
			.setKind(kind)
			// web-local is the Local variant of web: the same app label
			.putServiceLabels("app", name.equals("web-local") ? "web" : name)
			.setExternalTrafficPolicyLocal(local)
			.setLocalBackends(localBackends)
			.build();
	}

	private Set<String> advertised() {
		BgpSpeaker speaker = this.reconciler.speaker();
		if (speaker == null) {
			return Set.of();
		}
		return speaker.advertised().keySet().stream().map(Prefix::toString).collect(Collectors.toSet());
	}

	private int received() {
		PeerStatus status = this.router.status().get(0);
		return (status.state() == SessionState.ESTABLISHED) ? status.received().get(AddressFamily.IPV4_UNICAST) : -1;
	}

	/**
	 * When the router's session came up, in {@link System#nanoTime()}; MAX_VALUE when
	 * down.
	 */
	private long upSince() {
		long now = System.nanoTime();
		PeerStatus status = this.router.status().get(0);
		return (status.state() == SessionState.ESTABLISHED) ? now - status.uptime().toNanos() : Long.MAX_VALUE;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName(NODE), 0));
			return socket.getLocalPort();
		}
	}

	private static void await(BooleanSupplier condition, String what) {
		await(condition, () -> what);
	}

	private static void await(BooleanSupplier condition, Supplier<String> what) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("gave up waiting for: " + what.get());
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("interrupted waiting for: " + what.get(), ex);
			}
		}
	}

	private static <T> T read(String yaml, Class<T> type) {
		return client.getKubernetesSerialization().unmarshal(yaml, type);
	}

}
