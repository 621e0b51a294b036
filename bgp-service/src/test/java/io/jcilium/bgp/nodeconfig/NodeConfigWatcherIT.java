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
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.api.crd.v2.CiliumBGPAdvertisement;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.api.crd.v2alpha1.CiliumBGPPeeringPolicy;
import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.reconcile.SpeakerReconciler;
import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.PeerStatus;
import io.jcilium.bgp.session.SpeakerConfig;
import io.jcilium.bgp.wire.AddressFamily;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bgp-service configured from fabric8's mock API server in CRUD mode, with the CRDs this
 * build generates, and real BGP sessions to two routers (speakers of ours on loopback):
 * the node's pod CIDRs reach them, a second peer and a new pod CIDR arrive without
 * resetting the first session, a config the speaker cannot run leaves the last good one
 * running, and deleting the node config shuts the sessions down; an older
 * CiliumBGPPeeringPolicy selecting the node takes over from its node config.
 */
@EnableKubernetesMockClient(crud = true)
class NodeConfigWatcherIT {

	private static final String NODE = "127.0.0.61";

	private static final String ROUTER_1 = "127.0.0.62";

	private static final String ROUTER_2 = "127.0.0.63";

	private static final String ROUTER_3 = "127.0.0.64";

	static KubernetesClient client;

	private final SpeakerReconciler reconciler = new SpeakerReconciler((config) -> new BgpSpeaker(config, 1));

	private NodeConfigWatcher watcher;

	private BgpSpeaker router1;

	private BgpSpeaker router2;

	@BeforeAll
	static void registerCrds() throws IOException {
		for (String plural : List.of("ciliumbgpnodeconfigs", "ciliumbgppeerconfigs", "ciliumbgpadvertisements",
				"ciliumnodes", "ciliumbgppeeringpolicies", "ciliumpodippools")) {
			try (InputStream in = Objects.requireNonNull(
					NodeConfigWatcherIT.class.getResourceAsStream("/META-INF/fabric8/" + plural + ".cilium.io-v1.yml"),
					plural)) {
				client.apiextensions()
					.v1()
					.customResourceDefinitions()
					.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
					.createOr((existing) -> existing.update());
			}
		}
	}

	@BeforeEach
	void startRouters() throws Exception {
		this.router1 = router(ROUTER_1, 65100);
		this.router2 = router(ROUTER_2, 65200);
	}

	@AfterEach
	void stop() {
		if (this.watcher != null) {
			this.watcher.close();
		}
		this.reconciler.close();
		this.router1.stop(true);
		this.router2.stop(true);
		client.resources(CiliumBGPNodeConfig.class).delete();
		client.resources(CiliumBGPPeerConfig.class).delete();
		client.resources(CiliumBGPAdvertisement.class).delete();
		client.resources(CiliumNode.class).delete();
		client.resources(CiliumBGPPeeringPolicy.class).delete();
	}

	@Test
	void theSpeakerFollowsTheApiServerWithoutResettingUnaffectedPeers() throws Exception {
		int localPort = freePort();
		client.resource(read("""
				apiVersion: cilium.io/v2
				kind: CiliumNode
				metadata: {name: worker-1}
				spec:
				  ipam: {podCIDRs: [10.61.0.0/24]}
				""", CiliumNode.class)).create();
		client.resource(read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPPeerConfig
				metadata: {name: router-1}
				spec:
				  transport: {peerPort: %d}
				  timers: {connectRetryTimeSeconds: 1}
				  families:
				  - {afi: ipv4, safi: unicast, advertisements: {matchLabels: {advertise: bgp}}}
				""".formatted(this.router1.listenPort()), CiliumBGPPeerConfig.class)).create();
		client.resource(read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPPeerConfig
				metadata: {name: router-2}
				spec:
				  transport: {peerPort: %d}
				  timers: {connectRetryTimeSeconds: 1}
				  families:
				  - {afi: ipv4, safi: unicast, advertisements: {matchLabels: {advertise: bgp}}}
				""".formatted(this.router2.listenPort()), CiliumBGPPeerConfig.class)).create();
		client.resource(read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPAdvertisement
				metadata: {name: pod-cidr, labels: {advertise: bgp}}
				spec:
				  advertisements: [{advertisementType: PodCIDR}]
				""", CiliumBGPAdvertisement.class)).create();
		client.resource(nodeConfig(localPort, "192.0.2.61", ROUTER_1)).create();

		this.watcher = new NodeConfigWatcher(client, "worker-1", this.reconciler, Duration.ofSeconds(30));
		this.watcher.start();
		await(() -> received(this.router1) == 1, "router 1 received the pod CIDR");
		await(() -> "router-1 127.0.0.62 65100 established ipv4/unicast received 0 advertised 1".equals(peerStatus()),
				() -> "the node config's status shows router 1 established; it is " + peerStatus());
		long beforeChanges = System.nanoTime();

		client.resource(nodeConfig(localPort, "192.0.2.61", ROUTER_1, ROUTER_2)).update();
		client.resources(CiliumNode.class).withName("worker-1").edit((node) -> {
			node.getSpec().ipam.podCIDRs = List.of("10.61.0.0/24", "10.61.1.0/24");
			return node;
		});
		await(() -> received(this.router2) == 2 && received(this.router1) == 2, "both routers received both pod CIDRs");
		assertThat(upSince(this.router1)).as("router 1 kept its session").isLessThan(beforeChanges);

		client.resource(nodeConfig(localPort, "fd00::61", ROUTER_1, ROUTER_2)).update();
		await(() -> this.watcher.job().status().lastError().orElse("").contains("must be an IPv4 address"),
				"the bad router id is the job's last error");
		assertThat(received(this.router1)).as("the last good config keeps running").isEqualTo(2);
		assertThat(upSince(this.router1)).isLessThan(beforeChanges);

		client.resources(CiliumBGPNodeConfig.class).withName("worker-1").delete();
		await(() -> status(this.router1).lastError().contains("6/2"), "router 1 was told of the shutdown (Cease 6/2)");
		assertThat(this.reconciler.speaker()).isNull();
	}

	@Test
	void aPeeringPolicySelectingTheNodeTakesPrecedenceOverItsNodeConfig() throws Exception {
		// A peering policy has no local address: the speaker connects from the address
		// the
		// kernel picks, 127.0.0.1 on loopback.
		BgpSpeaker router3 = router(ROUTER_3, 65300);
		router3.removeNeighbour(InetAddress.getByName(NODE));
		router3.addNeighbour(new NeighbourConfig(InetAddress.getByName("127.0.0.1"), 179, 65000, true, 90, 1,
				Set.of(AddressFamily.IPV4_UNICAST), 0, null));
		try {
			client.resource(read("""
					apiVersion: cilium.io/v2
					kind: CiliumNode
					metadata:
					  name: worker-1
					  labels: {rack: rack0}
					  annotations: {cilium.io/bgp-virtual-router.65000: "router-id=192.0.2.61"}
					spec:
					  ipam: {podCIDRs: [10.61.0.0/24]}
					""", CiliumNode.class)).create();
			client.resource(read("""
					apiVersion: cilium.io/v2
					kind: CiliumBGPPeerConfig
					metadata: {name: router-1}
					spec:
					  transport: {peerPort: %d}
					  timers: {connectRetryTimeSeconds: 1}
					""".formatted(this.router1.listenPort()), CiliumBGPPeerConfig.class)).create();
			client.resource(nodeConfig(freePort(), "192.0.2.61", ROUTER_1)).create();
			this.watcher = new NodeConfigWatcher(client, "worker-1", this.reconciler, Duration.ofSeconds(30));
			this.watcher.start();
			await(() -> received(this.router1) == 0, "router 1 peers as the node config says");

			client.resource(peeringPolicy("rack0", "{matchLabels: {rack: rack0}}", router3.listenPort())).create();
			await(() -> received(router3) == 1, () -> "router 3 (the policy's neighbor) received the pod CIDR; "
					+ "router 3: " + router3.status() + ", speaker: " + this.reconciler.speaker().status());
			await(() -> received(this.router1) == -1, "router 1 (the node config's peer) is no longer peered");
			long beforeConflict = System.nanoTime();

			client.resource(peeringPolicy("everywhere", null, router3.listenPort())).create();
			await(() -> this.watcher.job().status().lastError().orElse("").contains("all select node worker-1"),
					"two policies selecting the node is the job's last error");
			assertThat(received(router3)).as("the last good policy keeps running").isEqualTo(1);
			assertThat(upSince(router3)).isLessThan(beforeConflict);

			client.resources(CiliumBGPPeeringPolicy.class).delete();
			await(() -> received(this.router1) == 0 && received(router3) == -1,
					"without a policy the node config runs again");
		}
		finally {
			router3.stop(true);
		}
	}

	/** The first peer of the node config's status as written to the API server. */
	private static String peerStatus() {
		CiliumBGPNodeConfig config = client.resources(CiliumBGPNodeConfig.class).withName("worker-1").get();
		if (config == null || config.getStatus() == null || config.getStatus().bgpInstances == null
				|| config.getStatus().bgpInstances.isEmpty()
				|| config.getStatus().bgpInstances.get(0).peers.isEmpty()) {
			return "none";
		}
		CiliumBGPNodeConfig.PeerStatus peer = config.getStatus().bgpInstances.get(0).peers.get(0);
		StringBuilder text = new StringBuilder(
				peer.name + " " + peer.peerAddress + " " + peer.peerASN + " " + peer.peeringState);
		if (peer.establishedTime == null) {
			return text.toString();
		}
		for (CiliumBGPNodeConfig.RouteCount count : peer.routeCount) {
			text.append(" ")
				.append(count.afi)
				.append("/")
				.append(count.safi)
				.append(" received ")
				.append(count.received)
				.append(" advertised ")
				.append(count.advertised);
		}
		return text.toString();
	}

	private static CiliumBGPPeeringPolicy peeringPolicy(String name, String nodeSelector, int peerPort) {
		return read(
				"""
						apiVersion: cilium.io/v2alpha1
						kind: CiliumBGPPeeringPolicy
						metadata: {name: %s}
						spec:
						%s  virtualRouters:
						  - localASN: 65000
						    exportPodCIDR: true
						    neighbors:
						    - {peerAddress: %s/32, peerPort: %d, peerASN: 65300, connectRetryTimeSeconds: 1, families: [{afi: ipv4, safi: unicast}]}
						"""
					.formatted(name, (nodeSelector != null) ? "  nodeSelector: " + nodeSelector + "\n" : "", ROUTER_3,
							peerPort),
				CiliumBGPPeeringPolicy.class);
	}

	private static CiliumBGPNodeConfig nodeConfig(int localPort, String routerId, String... routers) {
		StringBuilder peers = new StringBuilder();
		for (int i = 0; i < routers.length; i++) {
			peers.append(
					"    - {name: router-%d, peerASN: %d, peerAddress: %s, localAddress: %s, peerConfigRef: {name: router-%d}}\n"
						.formatted(i + 1, 65100 + 100 * i, routers[i], NODE, i + 1));
		}
		return read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPNodeConfig
				metadata: {name: worker-1}
				spec:
				  bgpInstances:
				  - name: instance-65000
				    localASN: 65000
				    routerID: "%s"
				    localPort: %d
				    peers:
				""".formatted(routerId, localPort) + peers, CiliumBGPNodeConfig.class);
	}

	private static BgpSpeaker router(String address, long asn) throws Exception {
		InetAddress ip = InetAddress.getByName(address);
		BgpSpeaker router = new BgpSpeaker(new SpeakerConfig(asn, ip, ip, 0, false), 1);
		router.start();
		// Passive: only our speaker opens, from its localAddress.
		router.addNeighbour(new NeighbourConfig(InetAddress.getByName(NODE), 179, 65000, true, 90, 1,
				Set.of(AddressFamily.IPV4_UNICAST), 0, null));
		return router;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName(NODE), 0));
			return socket.getLocalPort();
		}
	}

	private static PeerStatus status(BgpSpeaker router) {
		return router.status().get(0);
	}

	private static int received(BgpSpeaker router) {
		PeerStatus status = status(router);
		return (status.state() == SessionState.ESTABLISHED) ? status.received().get(AddressFamily.IPV4_UNICAST) : -1;
	}

	/**
	 * When the router's session came up, in {@link System#nanoTime()}; MAX_VALUE when
	 * down.
	 */
	private static long upSince(BgpSpeaker router) {
		long now = System.nanoTime();
		PeerStatus status = status(router);
		return (status.state() == SessionState.ESTABLISHED) ? now - status.uptime().toNanos() : Long.MAX_VALUE;
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
