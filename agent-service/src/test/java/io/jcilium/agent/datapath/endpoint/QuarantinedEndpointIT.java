package io.jcilium.agent.datapath.endpoint;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.PodTraffic;
import io.jcilium.agent.endpoint.Endpoint;
import io.jcilium.agent.endpoint.EndpointLifecycleSettings;
import io.jcilium.agent.endpoint.EndpointManager;
import io.jcilium.agent.endpoint.EndpointRequest;
import io.jcilium.agent.endpoint.IdentityResolver;
import io.jcilium.agent.endpoint.InMemoryPodMetadata;
import io.jcilium.agent.endpoint.OrphanPasses;
import io.jcilium.agent.endpoint.PersistentPodIps;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pod whose endpoint the agent lost at restart (its state file corrupt, its address
 * entry gone with it) keeps its veth and the programs on it: they read the settings
 * stored under the lost endpoint's id. On real packets: the next endpoint never gets that
 * id while the veth lives, so the zombie pod never sends with the new endpoint's
 * identity; once the runtime deletes the pod, the id is free again.
 */
class QuarantinedEndpointIT {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final String POD_CIDR = "10.204.0.0/24";

	private static final long PEER = 1101;

	private static final long WEB = 1102;

	private static final long ZOMBIE = 1103;

	private static final int PORT = 9090;

	/** The peer pod admits only the web pods, on UDP 9090. */
	private static final String PEER_POLICY = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: peer, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: peer}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: web}}]
			      toPorts: [{ports: [{port: "9090", protocol: UDP}]}]
			""";

	@TempDir
	Path dir;

	private EndpointRig rig;

	private RigLinks links;

	private PodTopology.Pod peer;

	private final InMemoryPodMetadata pods = new InMemoryPodMetadata();

	private final List<EndpointManager> managers = new ArrayList<>();

	@BeforeEach
	void setUp() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "sysctl");
		this.rig = new EndpointRig("jcilium-quarantine-it");
		this.peer = this.rig.topology.addPod("p", "10.204.1.1");
		this.links = new RigLinks(this.rig);
		this.pods.put("shop", "web", "k8s:app=web", "k8s:io.kubernetes.pod.namespace=shop");
		this.pods.put("shop", "zombie", "k8s:app=zombie", "k8s:io.kubernetes.pod.namespace=shop");
	}

	@AfterEach
	void tearDown() {
		this.managers.forEach(EndpointManager::close);
		if (this.rig != null) {
			this.rig.close();
		}
	}

	@Test
	void aZombieVethNeverGetsTheNextEndpointsVerdictsAndItsIdIsFreedOnceItIsGone() throws Exception {
		EndpointManager before = agentStarts();
		Endpoint zombie = before.add(request("cz", "zombie", null));
		PodTopology.Pod zombiePod = this.links.pod(zombie.hostIfName());
		assertThat(PodTraffic.udpDelivered(zombiePod, this.peer, PORT)).as("the peer admits only web").isFalse();

		// The agent stops; the zombie's state file is corrupt and its address entry lost.
		before.close();
		this.rig.stopAgent();
		Files.writeString(this.dir.resolve("endpoints/" + zombie.id() + ".json"), "{\"id\":" + zombie.id() + ",");
		assertThat(ips().release("cz", "eth0")).isPresent();
		EndpointManager agent = agentStarts();
		assertThat(agent.restore()).isEmpty();
		assertThat(agent.heldOrphans()).as("no address entry, so no orphan").isEmpty();
		assertThat(agent.quarantinedStateFiles()).hasSize(1);

		OrphanPasses.run(agent);
		// Not the zombie's address, which is free in the address file now: handing that
		// out again is a conflict of its own, not what this test is about.
		Endpoint web = agent.add(request("cw", "web", InetAddress.getByName("10.204.0.9")));
		PodTopology.Pod webPod = this.links.pod(web.hostIfName());

		assertThat(PodTraffic.udpDelivered(webPod, this.peer, PORT)).as("web is admitted").isTrue();
		assertThat(PodTraffic.udpDelivered(zombiePod, this.peer, PORT)).as("the zombie never sends with web's identity")
			.isFalse();
		assertThat(web.id()).as("the zombie's programs read the settings under its id").isNotEqualTo(zombie.id());
		OrphanPasses.run(agent);
		assertThat(OrphanPasses.quarantinedIds(agent)).as("its veth still carries the programs")
			.containsExactly(zombie.id());
		assertThat(PodTraffic.udpDelivered(zombiePod, this.peer, PORT)).isFalse();

		// The runtime deletes the zombie pod: its veth goes, so does the reservation.
		agent.delete("cz", "eth0");
		OrphanPasses.run(agent);
		assertThat(OrphanPasses.quarantinedIds(agent)).isEmpty();
		assertThat(this.rig.shared.maps().endpointConfig().get(zombie.id())).as("its settings are removed").isEmpty();
		assertThat(PodTraffic.udpDelivered(webPod, this.peer, PORT)).as("web is not disturbed").isTrue();
	}

	/**
	 * Starts the "agent": maps, identities, the peer's policy and endpoint, a manager.
	 */
	private EndpointManager agentStarts() {
		this.rig.startAgent();
		this.rig.policy.upsertIdentity(Identity.of(PEER, EndpointRig.labels("peer")));
		this.rig.policy.upsertIdentity(Identity.of(WEB, EndpointRig.labels("web")));
		this.rig.policy.upsertIdentity(Identity.of(ZOMBIE, EndpointRig.labels("zombie")));
		new PolicyParser().parse(PEER_POLICY).forEach(this.rig.policy::upsertPolicy);
		this.rig.policy.awaitMapsWritten();
		this.rig.datapath.regenerate(this.rig.endpoint(this.peer, 100, PEER, EndpointRig.labels("peer")));
		IdentityResolver identities = (endpoint) -> "web".equals(endpoint.podName()) ? WEB : ZOMBIE;
		EndpointManager manager = new EndpointManager(this.links, ips(), identities, this.rig.datapath, this.pods,
				List.of(), new EndpointLifecycleSettings(WAIT, Duration.ofMillis(50), Duration.ofMillis(500), 2,
						this.dir.resolve("endpoints")));
		this.managers.add(manager);
		return manager;
	}

	private PersistentPodIps ips() {
		return new PersistentPodIps(POD_CIDR, this.dir.resolve("pod-ip-allocations"));
	}

	private static EndpointRequest request(String containerId, String podName, InetAddress ip) {
		return new EndpointRequest(containerId, "eth0", "/run/netns/none", "shop", podName, ip);
	}

}
