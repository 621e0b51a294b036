package io.jcilium.bgp.interop;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.PoolBlock;
import io.jcilium.api.crd.v2.CiliumBGPAdvertisement;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2alpha1.CiliumPodIPPool;
import io.jcilium.bgp.agentstate.AgentNodeState;
import io.jcilium.bgp.agentstate.TestAgent;
import io.jcilium.bgp.fsm.SessionState;
import io.jcilium.bgp.nodeconfig.NodeConfigWatcher;
import io.jcilium.bgp.reconcile.SpeakerReconciler;
import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.bgp.session.PeerStatus;
import io.jcilium.bgp.wire.Prefix;
import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 with issue 18 point 4: in multi-pool IPAM a real BIRD 2 learns this node's
 * pool blocks that a {@code CiliumPodIPPool} advertisement selects by the pools' labels,
 * with bgp-service run from fabric8's CRUD mock API server and the local agent's node
 * state over gRPC; it sees the withdrawal when the agent gives a block back and when a
 * pool's labels stop matching, and learns a pool's blocks once its labels match, all on
 * the one session, never reset.
 */
@EnableKubernetesMockClient(crud = true)
class PodIpPoolAdvertisementIT {

	private static final long OUR_AS = 65000;

	private static final long PEER_AS = 65001;

	private static final Duration WAIT = Duration.ofSeconds(90);

	static KubernetesClient client;

	private final SpeakerReconciler reconciler = new SpeakerReconciler((config) -> new BgpSpeaker(config, 1));

	private final TestAgent agent = new TestAgent();

	private final String agentName = "agent-" + UUID.randomUUID();

	@BeforeAll
	static void registerCrds() throws IOException {
		for (String plural : List.of("ciliumbgpnodeconfigs", "ciliumbgppeerconfigs", "ciliumbgpadvertisements",
				"ciliumnodes", "ciliumbgppeeringpolicies", "ciliumpodippools")) {
			try (InputStream in = Objects.requireNonNull(PodIpPoolAdvertisementIT.class
				.getResourceAsStream("/META-INF/fabric8/" + plural + ".cilium.io-v1.yml"), plural)) {
				client.apiextensions()
					.v1()
					.customResourceDefinitions()
					.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
					.createOr((existing) -> existing.update());
			}
		}
	}

	@AfterEach
	void deleteResources() {
		client.resources(CiliumBGPNodeConfig.class).delete();
		client.resources(CiliumBGPPeerConfig.class).delete();
		client.resources(CiliumBGPAdvertisement.class).delete();
		client.resources(CiliumPodIPPool.class).delete();
	}

	@Test
	void birdLearnsTheSelectedPoolsBlocksAndTheirWithdrawals() throws Exception {
		Prerequisites.require(Prerequisites.onPath("bird") && Prerequisites.onPath("birdc"),
				"bird and birdc (BIRD 2) are not installed: run scripts/setup.sh");
		Server agentServer = InProcessServerBuilder.forName(this.agentName).addService(this.agent).build().start();
		ManagedChannel agentChannel = InProcessChannelBuilder.forName(this.agentName).build();
		try (NetnsLab lab = NetnsLab.create();
				AgentNodeState agentState = new AgentNodeState(agentChannel);
				NodeConfigWatcher watcher = new NodeConfigWatcher(client, "worker-1", this.reconciler,
						Duration.ofSeconds(30), agentState::latest)) {
			BirdPeer bird = new BirdPeer(lab, PEER_AS, OUR_AS);
			bird.start();
			create(pool("blue", Map.of("advertise", "bgp")), pool("default", Map.of()));
			client.resource(read("""
					apiVersion: cilium.io/v2
					kind: CiliumBGPPeerConfig
					metadata: {name: bird}
					spec:
					  timers: {connectRetryTimeSeconds: 1}
					  families:
					  - {afi: ipv4, safi: unicast, advertisements: {matchLabels: {advertise: bgp}}}
					  - {afi: ipv6, safi: unicast, advertisements: {matchLabels: {advertise: bgp}}}
					""", CiliumBGPPeerConfig.class)).create();
			client.resource(read("""
					apiVersion: cilium.io/v2
					kind: CiliumBGPAdvertisement
					metadata: {name: pools, labels: {advertise: bgp}}
					spec:
					  advertisements:
					  - advertisementType: CiliumPodIPPool
					    selector: {matchLabels: {advertise: bgp}}
					""", CiliumBGPAdvertisement.class)).create();
			client.resource(read("""
					apiVersion: cilium.io/v2
					kind: CiliumBGPNodeConfig
					metadata: {name: worker-1}
					spec:
					  bgpInstances:
					  - name: instance-65000
					    localASN: %d
					    routerID: %s
					    localPort: 179
					    peers:
					    - {name: bird, peerASN: %d, peerAddress: %s, localAddress: %s, peerConfigRef: {name: bird}}
					""".formatted(OUR_AS, lab.hostIpv4.getHostAddress(), PEER_AS, lab.peerIpv4.getHostAddress(),
					lab.hostIpv4.getHostAddress()), CiliumBGPNodeConfig.class))
				.create();
			this.agent.push(state(Map.of("10.20.1.0/24", "default", "10.30.0.0/26", "blue", "fd00:30::/120", "blue")));
			agentState.onChange(watcher::changed);
			agentState.start();
			watcher.start();

			awaitLearned(bird, Set.of("10.30.0.0/26", "fd00:30::/120"), "blue's blocks, not default's");
			long beforeChanges = System.nanoTime();

			// The agent gives a block back and gets another one.
			this.agent.push(state(Map.of("10.20.1.0/24", "default", "10.30.0.64/26", "blue", "fd00:30::/120", "blue")));
			awaitLearned(bird, Set.of("10.30.0.64/26", "fd00:30::/120"), "the released block withdrawn, the new one");

			// The default pool's labels now match; blue's stop matching.
			client.resource(pool("default", Map.of("advertise", "bgp"))).update();
			awaitLearned(bird, Set.of("10.20.1.0/24", "10.30.0.64/26", "fd00:30::/120"), "default's block added");
			client.resource(pool("blue", Map.of("advertise", "no"))).update();
			awaitLearned(bird, Set.of("10.20.1.0/24"), "blue's blocks withdrawn once its labels stop matching");

			// A deleted pool's blocks go too.
			client.resources(CiliumPodIPPool.class).withName("default").delete();
			awaitLearned(bird, Set.of(), "the deleted pool's block withdrawn");

			assertThat(upSince()).as("one session throughout: never reset").isLessThan(beforeChanges);
		}
		finally {
			this.reconciler.close();
			agentChannel.shutdownNow();
			agentServer.shutdownNow();
		}
	}

	private static NodeState state(Map<String, String> poolByBlock) {
		NodeState.Builder state = NodeState.newBuilder().setNodeName("worker-1");
		poolByBlock
			.forEach((cidr, pool) -> state.addPoolBlocks(PoolBlock.newBuilder().setPool(pool).setCidr(cidr).build()));
		return state.build();
	}

	private static CiliumPodIPPool pool(String name, Map<String, String> labels) {
		CiliumPodIPPool pool = read("""
				apiVersion: cilium.io/v2alpha1
				kind: CiliumPodIPPool
				metadata: {name: %s}
				spec:
				  ipv4: {cidrs: [10.0.0.0/8], maskSize: 24}
				  ipv6: {cidrs: ["fd00::/104"], maskSize: 120}
				""".formatted(name), CiliumPodIPPool.class);
		pool.getMetadata().setLabels(labels);
		return pool;
	}

	private static void create(CiliumPodIPPool... pools) {
		for (CiliumPodIPPool pool : pools) {
			client.resource(pool).create();
		}
	}

	/**
	 * When our session with BIRD came up, in {@link System#nanoTime()}; a session reset
	 * moves it.
	 */
	private long upSince() {
		long now = System.nanoTime();
		BgpSpeaker speaker = this.reconciler.speaker();
		PeerStatus status = (speaker != null) ? speaker.status().get(0) : null;
		assertThat(status).isNotNull();
		assertThat(status.state()).isEqualTo(SessionState.ESTABLISHED);
		return now - status.uptime().toNanos();
	}

	private void awaitLearned(BirdPeer bird, Set<String> expected, String what) throws Exception {
		Set<Prefix> prefixes = expected.stream().map(Prefix::parse).collect(Collectors.toSet());
		await(() -> bird.established() && bird.learned().equals(prefixes), what + ": BIRD should hold " + expected,
				bird);
	}

	private static void await(Callable<Boolean> condition, String what, BirdPeer bird) throws Exception {
		Instant deadline = Instant.now().plus(WAIT);
		Exception last = null;
		while (Instant.now().isBefore(deadline)) {
			try {
				if (condition.call()) {
					return;
				}
			}
			catch (IOException ex) {
				last = ex; // birdc before BIRD's socket is up
			}
			Thread.sleep(200);
		}
		String learned;
		try {
			learned = String.valueOf(bird.learned());
		}
		catch (IOException ex) {
			learned = "(birdc failed: " + ex.getMessage() + ")";
		}
		throw new AssertionError("gave up waiting for: " + what + "; BIRD holds " + learned, last);
	}

	private static <T> T read(String yaml, Class<T> type) {
		return client.getKubernetesSerialization().unmarshal(yaml, type);
	}

}
