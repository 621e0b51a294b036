package io.jcilium.agent.datapath.endpoint;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.PodTraffic;
import io.jcilium.common.datapath.DropReason;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import io.jcilium.agent.endpoint.Endpoint;
import io.jcilium.agent.endpoint.EndpointLifecycleSettings;
import io.jcilium.agent.endpoint.EndpointManager;
import io.jcilium.agent.endpoint.EndpointRequest;
import io.jcilium.agent.endpoint.EndpointState;
import io.jcilium.agent.endpoint.EndpointStatus;
import io.jcilium.agent.endpoint.Eventually;
import io.jcilium.agent.endpoint.IdentityResolver;
import io.jcilium.agent.endpoint.InMemoryPodMetadata;
import io.jcilium.agent.endpoint.PersistentPodIps;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up window on real packets: CNI ADD through the endpoint lifecycle and the
 * eBPF datapath, while the pod's identity cannot be resolved (identity-service down).
 * From the first packet the pod's veth carries bpf_lxc with the init identity: the pod
 * can neither send to nor receive from another pod or the node, each drop counted as
 * DROP_POLICY; the endpoint says why; ADD has not answered. Once the identity resolves,
 * ADD answers and the pod's own policy takes over.
 */
class StartupWindowIT {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final long PEER = 1001;

	private static final long WEB = 1002;

	/** The web pods admit the peer pods on TCP 8080 and ping. */
	private static final String WEB_POLICY = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: peer}}]
			      toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
			    - fromEndpoints: [{matchLabels: {app: peer}}]
			      icmps: [{fields: [{type: 8, family: IPv4}]}]
			""";

	/** Lets endpoints at init reach the peer pods on TCP 8080 (e.g. a DNS server). */
	private static final String INIT_POLICY = """
			apiVersion: cilium.io/v2
			kind: CiliumClusterwideNetworkPolicy
			metadata: {name: init-to-peer}
			spec:
			  endpointSelector: {matchLabels: {"reserved:init": ""}}
			  egress:
			    - toEndpoints: [{matchLabels: {app: peer, io.kubernetes.pod.namespace: shop}}]
			      toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
			""";

	@TempDir
	Path dir;

	private EndpointRig rig;

	private PodTopology.Pod peer;

	private RigLinks links;

	private EndpointManager manager;

	private final InMemoryPodMetadata pods = new InMemoryPodMetadata();

	private volatile boolean identityServiceUp;

	private final AtomicReference<String> policyAwaited = new AtomicReference<>();

	private final ExecutorService adds = Executors.newCachedThreadPool();

	private final List<ServerSocket> listeners = new ArrayList<>();

	@BeforeEach
	void setUp() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "ping", "sysctl");
		this.rig = new EndpointRig("jcilium-window-it");
		this.peer = this.rig.topology.addPod("p", "10.203.1.1");
		this.rig.startAgent();
		this.rig.policy.upsertIdentity(Identity.of(PEER, EndpointRig.labels("peer")));
		this.rig.policy.upsertIdentity(Identity.of(WEB, EndpointRig.labels("web")));
		PolicyParser parser = new PolicyParser();
		parser.parse(WEB_POLICY).forEach(this.rig.policy::upsertPolicy);
		this.rig.policy.awaitMapsWritten();
		this.rig.datapath.regenerate(this.rig.endpoint(this.peer, 100, PEER, EndpointRig.labels("peer")));
		this.listeners.add(PodTraffic.listen(this.peer, 8080));
		this.links = new RigLinks(this.rig);
		IdentityResolver identities = (endpoint) -> {
			if (!this.identityServiceUp) {
				throw new IllegalStateException("identity-service unavailable: connection refused");
			}
			return WEB;
		};
		this.pods.put("shop", "web", "k8s:app=web", "k8s:io.kubernetes.pod.namespace=shop");
		this.manager = new EndpointManager(this.links,
				new PersistentPodIps("10.203.0.0/24", this.dir.resolve("pod-ip-allocations")), identities,
				this.rig.datapath, this.pods, List.of(), new EndpointLifecycleSettings(WAIT, Duration.ofMillis(50),
						Duration.ofMillis(500), 2, this.dir.resolve("endpoints")),
				() -> Optional.ofNullable(this.policyAwaited.get()));
	}

	@AfterEach
	void tearDown() throws Exception {
		this.identityServiceUp = true;
		this.adds.shutdownNow();
		for (ServerSocket listener : this.listeners) {
			listener.close();
		}
		if (this.manager != null) {
			this.manager.close();
		}
		if (this.rig != null) {
			this.rig.close();
		}
	}

	@Test
	void aPodWhoseIdentityCannotBeResolvedIsCutOffBothWaysUntilItsPolicyTakesOver() throws Exception {
		CompletableFuture<Endpoint> add = addInBackground();
		Endpoint endpoint = awaitWaiting("identity-service unavailable");
		PodTopology.Pod web = this.links.pod(endpoint.hostIfName());
		this.listeners.add(PodTraffic.listen(web, 8080));
		this.listeners.add(PodTraffic.listen(web, 8081));

		EndpointStatus status = this.manager.list().get(0);
		assertThat(status.state()).isEqualTo("waiting-for-identity");
		assertThat(status.stateReason()).contains("traffic dropped (init identity)");
		assertThat(status.identity()).isEqualTo(ReservedIdentity.INIT.id());
		assertThat(this.rig.datapath.program(endpoint.id()).config().identity()).isEqualTo(ReservedIdentity.INIT.id());
		assertThat(this.rig.shared.maps().ipcache().entries().values())
			.anyMatch((info) -> info.identity() == ReservedIdentity.INIT.id());
		long sentDrops = policyDrops(TrafficDirection.EGRESS);
		long receivedDrops = policyDrops(TrafficDirection.INGRESS);

		assertThat(PodTraffic.connects(web, this.peer, 8080, 1000)).as("pod -> pod TCP").isFalse();
		assertThat(PodTraffic.ping(web, this.peer, 2)).as("pod -> pod ping").isZero();
		assertThat(PodTraffic.ping(web, "169.254.1.1", 2)).as("pod -> node ping").isZero();
		assertThat(PodTraffic.connects(this.peer, web, 8080, 1000)).as("pod -> it TCP").isFalse();
		assertThat(PodTraffic.ping(this.peer, web, 2)).as("pod -> it ping").isZero();
		assertThat(policyDrops(TrafficDirection.EGRESS)).as("what it sent, dropped as DROP_POLICY")
			.isGreaterThanOrEqualTo(sentDrops + 5);
		assertThat(policyDrops(TrafficDirection.INGRESS)).as("what it was sent, dropped as DROP_POLICY")
			.isGreaterThanOrEqualTo(receivedDrops + 3);
		assertThat(add).as("ADD has not answered: the pod is not running yet").isNotDone();

		OptionalInt guardProgram = this.rig.shared.maps().policyCalls().programId(endpoint.id());
		assertThat(guardProgram).isPresent();

		this.identityServiceUp = true;
		assertThat(add.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).state()).isEqualTo(EndpointState.READY);
		assertThat(this.rig.datapath.program(endpoint.id()).config().identity()).isEqualTo((int) WEB);
		assertThat(this.rig.shared.maps().endpointConfig().get(endpoint.id())).as("what the program reads")
			.hasValueSatisfying((config) -> assertThat(config.identity()).isEqualTo((int) WEB));
		assertThat(this.rig.shared.maps().policyCalls().programId(endpoint.id()))
			.as("the guard's program runs on with the new identity: no second load")
			.isEqualTo(guardProgram);
		assertThat(PodTraffic.connects(this.peer, web, 8080, 1000)).as("allowed by the web policy").isTrue();
		assertThat(PodTraffic.ping(this.peer, web, 2)).as("ping allowed by the web policy").isEqualTo(2);
		assertThat(PodTraffic.connects(this.peer, web, 8081, 1000)).as("the web policy's default deny").isFalse();
		assertThat(PodTraffic.connects(web, this.peer, 8080, 1000)).as("web's egress is not enforced").isTrue();
		assertThat(PodTraffic.ping(web, "169.254.1.1", 2)).as("nor towards the node").isEqualTo(2);
	}

	@Test
	void rulesForInitApplyOnceThePolicyInputsHaveSyncedAndNeverBefore() throws Exception {
		new PolicyParser().parse(INIT_POLICY).forEach(this.rig.policy::upsertPolicy);
		this.rig.policy.awaitMapsWritten();
		this.policyAwaited.set("waiting for the network policies from the API server to sync before computing policy");
		CompletableFuture<Endpoint> unsynced = addInBackground();
		Endpoint first = awaitWaiting("identity-service unavailable");
		PodTopology.Pod early = this.links.pod(first.hostIfName());
		assertThat(PodTraffic.connects(early, this.peer, 8080, 1000))
			.as("policy not computed from part of the inputs: nothing allowed")
			.isFalse();
		this.manager.delete(first.containerId(), "eth0");
		assertThat(unsynced).failsWithin(WAIT);
		assertThat(this.links.pods).as("its veth removed").isEmpty();

		this.policyAwaited.set(null);
		CompletableFuture<Endpoint> add = addInBackground();
		Endpoint endpoint = awaitWaiting("identity-service unavailable");
		PodTopology.Pod web = this.links.pod(endpoint.hostIfName());
		this.listeners.add(PodTraffic.listen(web, 8080));
		assertThat(PodTraffic.connects(web, this.peer, 8080, 1000)).as("allowed by the rule for reserved:init")
			.isTrue();
		assertThat(PodTraffic.ping(web, this.peer, 2)).as("nothing else").isZero();
		assertThat(PodTraffic.connects(this.peer, web, 8080, 1000)).as("nor towards it").isFalse();
		assertThat(add).isNotDone();
	}

	private CompletableFuture<Endpoint> addInBackground() {
		String container = "c" + this.rig.topology.runId() + this.links.created;
		return CompletableFuture.supplyAsync(
				() -> this.manager.add(new EndpointRequest(container, "eth0", "/run/netns/none", "shop", "web", null)),
				this.adds);
	}

	private Endpoint awaitWaiting(String reason) {
		Eventually.await("the endpoint waiting for its identity, saying why", WAIT,
				() -> this.manager.list()
					.stream()
					.anyMatch((status) -> "waiting-for-identity".equals(status.state())
							&& status.stateReason().contains(reason)));
		EndpointStatus status = this.manager.list().get(0);
		return this.manager.find(status.containerId(), status.podIfName()).orElseThrow();
	}

	private long policyDrops(TrafficDirection direction) {
		return this.rig.shared.maps().metrics().get(DropReason.POLICY_DENIED.code(), direction).count();
	}

}
