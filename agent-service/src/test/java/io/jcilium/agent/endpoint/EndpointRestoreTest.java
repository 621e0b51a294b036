package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.link.InMemoryLinkOperations;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restore across a new manager over the same state directory (the agent restarted), and
 * concurrent ADDs.
 */
class EndpointRestoreTest {

	private static final Duration WAIT = Duration.ofSeconds(5);

	@TempDir
	Path stateDir;

	private final InMemoryLinkOperations links = new InMemoryLinkOperations();

	private final InMemoryPodMetadata pods = new InMemoryPodMetadata();

	private final RecordingEndpointDatapath datapath = new RecordingEndpointDatapath();

	private final List<EndpointManager> managers = new ArrayList<>();

	@AfterEach
	void stop() {
		this.managers.forEach(EndpointManager::close);
	}

	private EndpointManager agent(IdentityResolver identities) {
		return agent(identities, "10.50.0.0/24");
	}

	private EndpointManager agent(IdentityResolver identities, String podCidr) {
		EndpointManager manager = new EndpointManager(this.links,
				new PersistentPodIps(podCidr, this.stateDir.resolve("pod-ip-allocations")), identities, this.datapath,
				this.pods, List.of(), new EndpointLifecycleSettings(WAIT, Duration.ofMillis(20), Duration.ofMillis(200),
						2, this.stateDir.resolve("endpoints")));
		this.managers.add(manager);
		return manager;
	}

	@Test
	void restartKeepsLivePodsWithTheirIdsAddressesAndDatapathAndFreesVanishedOnes() throws Exception {
		this.pods.put("default", "web", "k8s:app=web");
		this.pods.put("default", "db", "k8s:app=db");
		FlakyIdentityResolver identities = new FlakyIdentityResolver(0);
		EndpointManager before = agent(identities);
		Endpoint web = before.add(EndpointLifecycleTest.request("c-web", "web"));
		Endpoint db = before.add(EndpointLifecycleTest.request("c-db", "db"));
		before.close();
		assertThat(this.datapath.removed).as("stopping the agent removes nothing").isEmpty();
		assertThat(this.links.size()).isEqualTo(2);
		// The db pod goes away while no agent runs: its veth and namespace vanish.
		this.links.deletePodLink(db.hostIfName());
		Files.writeString(this.stateDir.resolve("endpoints/77.json"), "{not json");

		EndpointManager after = agent(identities);
		List<Endpoint> restored = after.restore();

		assertThat(restored).singleElement().satisfies((endpoint) -> {
			assertThat(endpoint.id()).isEqualTo(web.id());
			assertThat(endpoint.ip()).isEqualTo(web.ip());
			assertThat(endpoint.identity()).isEqualTo(web.identity());
			assertThat(endpoint.link()).isEqualTo(web.link());
			assertThat(endpoint.securityLabels()).isEqualTo(web.securityLabels());
		});
		assertThat(this.datapath.restored).containsExactly(web.id());
		assertThat(this.datapath.removed).containsExactly(db.id());
		assertThat(this.stateDir.resolve("endpoints/" + db.id() + ".json")).doesNotExist();
		Endpoint again = after.find("c-web", "eth0").orElseThrow();
		Eventually.await("restored endpoint ready", WAIT, () -> again.state() == EndpointState.READY);
		assertThat(again.identity()).isEqualTo(web.identity());

		this.pods.put("default", "new", "k8s:app=new");
		Endpoint fresh = after.add(EndpointLifecycleTest.request("c-new", "new"));
		assertThat(fresh.id()).as("restored id reserved").isNotEqualTo(web.id());
		assertThat(fresh.ip()).as("restored address reserved").isNotEqualTo(web.ip());
		assertThat(new PersistentPodIps("10.50.0.0/24", this.stateDir.resolve("pod-ip-allocations")).ownerOf(db.ip()))
			.as("the vanished pod's address is free again")
			.isEmpty();
	}

	@Test
	void anEndpointStillAtInitWhenTheAgentStoppedIsRestoredAtInitAndNeverReleasesIt() throws Exception {
		this.pods.put("default", "web", "k8s:app=web");
		FlakyIdentityResolver identities = new FlakyIdentityResolver(0);
		identities.down = true;
		EndpointManager before = agent(identities);
		ExecutorService runtime = Executors.newSingleThreadExecutor();
		try {
			runtime.submit(() -> before.add(EndpointLifecycleTest.request("c-web", "web")));
			Eventually.await("held at init", WAIT,
					() -> before.find("c-web", "eth0")
						.filter((endpoint) -> endpoint.stateReason().contains("identity-service unavailable"))
						.isPresent());
		}
		finally {
			// The agent process stops while ADD waits: nothing is torn down.
			before.close();
			runtime.shutdownNow();
			assertThat(runtime.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		}
		assertThat(this.links.size()).as("the veth stays").isEqualTo(1);

		// identity-service is still down when the agent is back, so nothing can move the
		// restored endpoint off init before it is looked at; then it comes back.
		EndpointManager after = agent(identities);
		Endpoint restored = after.restore().get(0);
		assertThat(restored.identity()).as("restored at init").isEqualTo(ReservedIdentity.INIT.id());
		assertThat(this.datapath.restored).as("its init program taken over").containsExactly(restored.id());
		identities.down = false;
		Eventually.await("ready with its own identity", WAIT, () -> restored.state() == EndpointState.READY);
		long web = identities.identityOf(Labels.parse(List.of("k8s:app=web")));
		assertThat(restored.identity()).isEqualTo(web);
		after.delete("c-web", "eth0");
		assertThat(identities.released).as("init is never released, the resolved identity is").containsExactly(web);
	}

	@Test
	void aCorruptStateFileIsQuarantinedAndItsLivePodKeepsItsAddressAndVeth() throws Exception {
		this.pods.put("default", "web", "k8s:app=web");
		this.pods.put("default", "db", "k8s:app=db");
		FlakyIdentityResolver identities = new FlakyIdentityResolver(0);
		EndpointManager before = agent(identities, "10.50.0.0/27");
		Endpoint web = before.add(EndpointLifecycleTest.request("c-web", "web"));
		Endpoint db = before.add(EndpointLifecycleTest.request("c-db", "db"));
		before.close();
		// The db pod keeps running; only its state file is damaged (a torn write from an
		// older agent, a disk error, a hand edit).
		Path dbState = this.stateDir.resolve("endpoints/" + db.id() + ".json");
		Files.writeString(dbState, "{\"id\":" + db.id() + ",\"containerId\":");

		EndpointManager after = agent(identities, "10.50.0.0/27");
		assertThat(after.restore()).extracting(Endpoint::id).containsExactly(web.id());

		assertThat(this.links.hostLinkExists(db.hostIfName())).as("the running pod's veth is kept").isTrue();
		assertThat(this.datapath.removed).as("and its datapath").doesNotContain(db.id());
		List<InetAddress> handedOut = new ArrayList<>();
		try {
			for (int i = 0; i < 40; i++) {
				handedOut
					.add(after.add(new EndpointRequest("c-new" + i, "eth0", "/run/netns/new" + i, null, null, null))
						.ip());
			}
		}
		catch (EndpointCreationException ex) {
			assertThat(ex.stage()).isEqualTo(EndpointCreationException.Stage.IP_ALLOCATION);
		}
		assertThat(handedOut).as("every address of the CIDR was handed out").hasSize(29 - 2);
		assertThat(handedOut).doesNotContain(db.ip(), web.ip());

		after.delete("c-db", "eth0");
		assertThat(this.links.hostLinkExists(db.hostIfName())).as("CNI DEL still cleans up").isFalse();
		assertThat(after.add(new EndpointRequest("c-last", "eth0", "/run/netns/last", null, null, null)).ip())
			.isEqualTo(db.ip());
	}

	@Test
	void aCorruptStateFileIsMovedAsideAndReported() throws Exception {
		this.pods.put("default", "db", "k8s:app=db");
		EndpointManager before = agent(new FlakyIdentityResolver(0));
		Endpoint db = before.add(EndpointLifecycleTest.request("c-db", "db"));
		before.close();
		Path dbState = this.stateDir.resolve("endpoints/" + db.id() + ".json");
		Files.writeString(dbState, "{\"id\":" + db.id() + ",\"containerId\":");

		EndpointManager after = agent(new FlakyIdentityResolver(0));
		after.restore();

		assertThat(dbState).as("moved aside").doesNotExist();
		assertThat(after.quarantinedStateFiles()).singleElement().satisfies((quarantined) -> {
			assertThat(quarantined.file()).exists().content().startsWith("{\"id\":" + db.id());
			assertThat(quarantined.reason()).isNotBlank();
		});
		EndpointManager again = agent(new FlakyIdentityResolver(0));
		again.restore();
		assertThat(again.quarantinedStateFiles()).as("still reported after the next restart").hasSize(1);
	}

	@Test
	void stateFilesThatParseButCannotBeRestoredAreQuarantinedWithoutStoppingTheRestore() throws Exception {
		this.pods.put("default", "web", "k8s:app=web");
		EndpointManager before = agent(new FlakyIdentityResolver(0));
		Endpoint web = before.add(EndpointLifecycleTest.request("c-web", "web"));
		before.close();
		Path endpoints = this.stateDir.resolve("endpoints");
		String valid = Files.readString(endpoints.resolve(web.id() + ".json"));
		Files.writeString(endpoints.resolve("7.json"), valid.replace("\"id\":" + web.id(), "\"id\":0"));
		Files.writeString(endpoints.resolve("8.json"), valid);
		Files.writeString(endpoints.resolve("0.json"), valid.replace("\"id\":" + web.id(), "\"id\":0"));

		EndpointManager after = agent(new FlakyIdentityResolver(0));

		assertThat(after.restore()).extracting(Endpoint::id).containsExactly(web.id());
		assertThat(after.quarantinedStateFiles()).extracting(QuarantinedStateFile::reason)
			.hasSize(3)
			.anySatisfy((reason) -> assertThat(reason).contains("outside"))
			.anySatisfy((reason) -> assertThat(reason).contains("holds endpoint id " + web.id()));
	}

	@Test
	void restoredEndpointKeepsItsIdentityWhileTheIdentityServiceIsDown() {
		this.pods.put("default", "web", "k8s:app=web");
		FlakyIdentityResolver identities = new FlakyIdentityResolver(0);
		EndpointManager before = agent(identities);
		long identity = before.add(EndpointLifecycleTest.request("c-web", "web")).identity();
		before.close();

		identities.down = true;
		EndpointManager after = agent(identities);
		Endpoint endpoint = after.restore().get(0);
		Eventually.await("waiting with a reason", WAIT,
				() -> endpoint.stateReason().contains("identity-service unavailable"));
		assertThat(endpoint.stateReason()).contains("keeps identity " + identity);
		assertThat(endpoint.identity()).isEqualTo(identity);
		identities.down = false;
		Eventually.await("ready when the service returns", WAIT, () -> endpoint.state() == EndpointState.READY);
	}

	@Test
	void concurrentAddsGetDistinctAddressesIdsAndVethsAndAllBecomeReady() throws Exception {
		int pods = 24;
		for (int i = 0; i < pods; i++) {
			this.pods.put("default", "p" + i, "k8s:app=p" + (i % 3));
		}
		EndpointManager manager = agent(new FlakyIdentityResolver(0));
		ExecutorService runtime = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Endpoint>> adds = new ArrayList<>();
		try {
			for (int i = 0; i < pods; i++) {
				String pod = "p" + i;
				adds.add(runtime.submit(() -> {
					start.await();
					return manager.add(EndpointLifecycleTest.request("c-" + pod, pod));
				}));
				// The same ADD twice at once, as a runtime retrying: one endpoint.
				adds.add(runtime.submit(() -> {
					start.await();
					return manager.add(EndpointLifecycleTest.request("c-" + pod, pod));
				}));
			}
			start.countDown();
			Set<Endpoint> endpoints = new HashSet<>();
			for (Future<Endpoint> add : adds) {
				endpoints.add(add.get(10, TimeUnit.SECONDS));
			}
			assertThat(endpoints).hasSize(pods);
			assertThat(endpoints).extracting(Endpoint::ip).doesNotHaveDuplicates();
			assertThat(endpoints).extracting(Endpoint::id).doesNotHaveDuplicates();
			Eventually.await("all ready", WAIT, () -> manager.count(EndpointState.READY) == pods);
			assertThat(this.links.size()).isEqualTo(pods);
			assertThat(this.stateDir.resolve("endpoints").toFile().list()).hasSize(pods);
		}
		finally {
			runtime.shutdownNow();
		}
	}

}
