package io.jcilium.agent.endpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.jcilium.agent.ipam.PodIpOwner;
import io.jcilium.agent.link.InMemoryLinkOperations;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pod whose endpoint state file was corrupt keeps running after the agent restarts: its
 * address and veth are held, and freed only when this node's pods, as the API server
 * lists them, prove the address unused for longer than the grace period.
 */
class OrphanReconcilerTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Duration GRACE = Duration.ofMinutes(2);

	@TempDir
	Path stateDir;

	private final InMemoryLinkOperations links = new InMemoryLinkOperations();

	private final InMemoryPodMetadata pods = new InMemoryPodMetadata();

	private final FakeLocalPodAddresses apiServer = new FakeLocalPodAddresses();

	private final SettableClock clock = new SettableClock();

	private final List<AutoCloseable> closing = new ArrayList<>();

	private EndpointManager agent;

	private RecordingEndpointDatapath datapath;

	private Endpoint web;

	private Endpoint db;

	@BeforeEach
	void restartWithTheDbStateFileCorrupt() throws Exception {
		this.pods.put("default", "web", "k8s:app=web");
		this.pods.put("default", "db", "k8s:app=db");
		EndpointManager before = manager();
		this.web = before.add(EndpointLifecycleTest.request("c-web", "web"));
		this.db = before.add(EndpointLifecycleTest.request("c-db", "db"));
		before.close();
		Files.writeString(this.stateDir.resolve("endpoints/" + this.db.id() + ".json"),
				"{\"id\":" + this.db.id() + ",\"containerId\":");
		this.agent = manager();
		assertThat(this.agent.restore()).extracting(Endpoint::id).containsExactly(this.web.id());
		assertThat(this.agent.heldOrphans()).singleElement().satisfies((orphan) -> {
			assertThat(orphan.containerId()).isEqualTo("c-db");
			assertThat(orphan.ip()).isEqualTo(this.db.ip().getHostAddress());
			assertThat(orphan.hostIfName()).isEqualTo(this.db.hostIfName());
			assertThat(orphan.cause()).contains("quarantined");
		});
	}

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable closeable : this.closing) {
			closeable.close();
		}
	}

	private EndpointManager manager() {
		this.datapath = new RecordingEndpointDatapath();
		EndpointManager manager = new EndpointManager(this.links,
				new PersistentPodIps("10.60.0.0/24", this.stateDir.resolve("pod-ip-allocations")),
				new FlakyIdentityResolver(0), this.datapath, this.pods, List.of(), new EndpointLifecycleSettings(WAIT,
						Duration.ofMillis(20), Duration.ofMillis(200), 2, this.stateDir.resolve("endpoints")));
		this.closing.add(manager);
		return manager;
	}

	private OrphanReconciler reconciler(Optional<LocalPodAddresses> pods) {
		return new OrphanReconciler(this.agent.orphans(), () -> pods, this.clock, GRACE,
				this.agent.orphanRelease()::release, this.agent.quarantinedIds());
	}

	private HeldOrphan dbOrphan() {
		return this.agent.heldOrphans()
			.stream()
			.filter((orphan) -> orphan.containerId().equals("c-db"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("the db pod's orphan is no longer held"));
	}

	private void assertDbResourcesHeld() {
		assertThat(this.links.hostLinkExists(this.db.hostIfName())).as("the db pod's veth is kept").isTrue();
		assertThat(ips().ownerOf(this.db.ip())).as("the db pod's address is kept")
			.contains(new PodIpOwner("c-db", "eth0"));
	}

	private PersistentPodIps ips() {
		return new PersistentPodIps("10.60.0.0/24", this.stateDir.resolve("pod-ip-allocations"));
	}

	@Test
	void withoutAKubernetesConnectionTheOrphanIsKeptAndTheListingSaysSo() {
		OrphanReconciler reconciler = reconciler(Optional.empty());
		reconciler.reconcile();
		this.clock.advance(GRACE.multipliedBy(10));
		reconciler.reconcile();

		assertThat(dbOrphan().heldBecause()).contains("no Kubernetes connection");
		assertDbResourcesHeld();
	}

	@Test
	void beforeThePodInformerSyncedTheOrphanIsKept() {
		OrphanReconciler reconciler = reconciler(Optional.of(this.apiServer));
		reconciler.reconcile();
		this.clock.advance(GRACE.multipliedBy(10));
		reconciler.reconcile();

		assertThat(dbOrphan().heldBecause()).contains("not synced");
		assertDbResourcesHeld();
	}

	@Test
	void whileAPodOfThisNodeClaimsTheAddressTheOrphanIsKeptAndThePodNamed() {
		this.apiServer.sync();
		this.apiServer.claim(this.db.ip(), "default/db");
		OrphanReconciler reconciler = reconciler(Optional.of(this.apiServer));
		reconciler.reconcile();
		this.clock.advance(GRACE.multipliedBy(10));
		reconciler.reconcile();

		assertThat(dbOrphan().heldBecause()).isEqualTo("pod default/db claims the address");
		assertDbResourcesHeld();
	}

	@Test
	void anUnclaimedOrphanIsKeptForTheGracePeriodThenFreed() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new EndpointMetrics(this.agent).bindTo(registry);
		this.apiServer.sync();
		OrphanReconciler reconciler = reconciler(Optional.of(this.apiServer));
		reconciler.reconcile();
		HeldOrphan seen = dbOrphan();
		assertThat(seen.heldSince()).isEqualTo(this.clock.instant());
		assertThat(seen.heldBecause()).contains("grace period until " + this.clock.instant().plus(GRACE));
		this.clock.advance(GRACE.minusSeconds(1));
		reconciler.reconcile();
		assertDbResourcesHeld();
		assertThat(registry.get("jcilium.endpoint.orphans.held").gauge().value()).isEqualTo(1);

		this.clock.advance(Duration.ofSeconds(1));
		reconciler.reconcile();

		assertThat(this.agent.heldOrphans()).isEmpty();
		assertThat(this.links.hostLinkExists(this.db.hostIfName())).as("veth deleted").isFalse();
		assertThat(ips().ownerOf(this.db.ip())).as("address free").isEmpty();
		assertThat(this.links.hostLinkExists(this.web.hostIfName())).as("the restored pod is untouched").isTrue();
		assertThat(ips().ownerOf(this.web.ip())).contains(new PodIpOwner("c-web", "eth0"));
		assertThat(registry.get("jcilium.endpoint.orphans.held").gauge().value()).isZero();
		assertThat(registry.get("jcilium.endpoint.orphans.freed").functionCounter().count()).isEqualTo(1);
	}

	@Test
	void theJobFreesTheOrphanOnceItsClaimingPodIsDeleted() {
		Jobs jobs = new Jobs("test", 1);
		this.closing.add(jobs);
		this.apiServer.sync();
		this.apiServer.claim(this.db.ip(), "default/db");
		// An interval longer than any test: only the start and pod events run it.
		OrphanReconcileJob job = new OrphanReconcileJob(jobs, Duration.ofHours(1),
				reconciler(Optional.of(this.apiServer)), this.agent.orphans());
		this.apiServer.whenChanged(job::podsChanged);
		job.start();
		this.closing.add(job::stop);
		Eventually.await("the claim seen", WAIT, () -> dbOrphan().heldBecause().contains("default/db"));
		this.clock.advance(GRACE);
		assertDbResourcesHeld();

		this.apiServer.deletePod("default/db");

		Eventually.await("freed after the pod's deletion", WAIT, () -> this.agent.orphans().freedCount() == 1);
		assertThat(this.agent.heldOrphans()).isEmpty();
		assertThat(this.links.hostLinkExists(this.db.hostIfName())).isFalse();
		assertThat(ips().ownerOf(this.db.ip())).isEmpty();
	}

	@Test
	void cniDelOfTheHeldPodFreesItAndForgetsTheOrphan() {
		this.agent.delete("c-db", "eth0");

		assertThat(this.agent.heldOrphans()).isEmpty();
		assertThat(this.links.hostLinkExists(this.db.hostIfName())).isFalse();
		assertThat(this.agent.orphans().freedCount()).as("freed by DEL, not by reconciliation").isZero();
	}

	@Test
	void anOrphanWhoseInterfaceGotAnEndpointAgainIsNotFreed() {
		this.apiServer.sync();
		OrphanReconciler reconciler = reconciler(Optional.of(this.apiServer));
		reconciler.reconcile();
		// The runtime's ADD retried for the same interface after the restart.
		this.agent.delete("c-db", "eth0");
		Endpoint again = this.agent.add(EndpointLifecycleTest.request("c-db", "db"));
		// A stale orphan record of that interface, past its grace period: the release
		// must look at the interface as it is now.
		this.clock.advance(GRACE);
		this.agent.orphans()
			.hold(new HeldOrphan("c-db", "eth0", again.ip().getHostAddress(), again.hostIfName(), "test",
					this.clock.instant().minus(GRACE), "-"));

		reconciler.reconcile();

		assertThat(this.links.hostLinkExists(again.hostIfName())).as("the live endpoint's veth stays").isTrue();
		assertThat(ips().ownerOf(again.ip())).contains(new PodIpOwner("c-db", "eth0"));
		assertThat(this.agent.heldOrphans()).isEmpty();
		assertThat(this.agent.orphans().freedCount()).isZero();
	}

	@Test
	void theQuarantinedIdIsHandedOutOnlyAfterTheOrphanIsFreedAndItsPinsAreRemoved() {
		assertThat(this.agent.quarantinedIds().all()).containsExactly(this.db.id());
		this.pods.put("default", "new1", "k8s:app=new");
		this.pods.put("default", "new2", "k8s:app=new");
		Endpoint first = this.agent.add(EndpointLifecycleTest.request("c-new1", "new1"));
		assertThat(first.id()).as("the db pod's programs read the settings under its id").isNotEqualTo(this.db.id());

		this.apiServer.sync();
		OrphanReconciler reconciler = reconciler(Optional.of(this.apiServer));
		reconciler.reconcile();
		assertThat(this.agent.quarantinedIds().all()).as("held during the grace period").containsExactly(this.db.id());
		assertThat(this.datapath.removedOrphaned).isEmpty();

		this.clock.advance(GRACE);
		reconciler.reconcile();

		assertThat(this.agent.heldOrphans()).isEmpty();
		assertThat(this.datapath.removedOrphaned).containsExactly(this.db.id());
		assertThat(this.agent.quarantinedIds().all()).isEmpty();
		assertThat(this.agent.add(EndpointLifecycleTest.request("c-new2", "new2")).id()).isEqualTo(this.db.id());
	}

	@Test
	void anAgentRestartedBeforeReconcilingReservesTheIdAgainButNeverALiveEndpointsId() {
		this.agent.close();
		EndpointManager restarted = manager();
		assertThat(restarted.restore()).extracting(Endpoint::id).containsExactly(this.web.id());

		assertThat(restarted.quarantinedIds().all()).containsExactly(this.db.id());
		this.pods.put("default", "new1", "k8s:app=new");
		assertThat(restarted.add(EndpointLifecycleTest.request("c-new1", "new1")).id()).isNotIn(this.db.id(),
				this.web.id());
	}

	@Test
	void withoutAnyOrphanHeldTheQuarantinedIdIsFreedOnTheFirstPass() {
		this.agent.delete("c-db", "eth0");
		assertThat(this.agent.quarantinedIds().all()).as("CNI DEL alone frees the orphan, not the id")
			.containsExactly(this.db.id());

		reconciler(Optional.empty()).reconcile();

		assertThat(this.datapath.removedOrphaned).containsExactly(this.db.id());
		assertThat(this.agent.quarantinedIds().all()).isEmpty();
	}

	@Test
	void aQuarantinedPodWithAVethButNoAddressKeepsItsIdUntilItsVethIsGone() {
		this.agent.close();
		ips().release("c-db", "eth0");
		EndpointManager restarted = manager();
		assertThat(restarted.restore()).extracting(Endpoint::id).containsExactly(this.web.id());
		assertThat(restarted.heldOrphans()).as("no address, so no orphan is held").isEmpty();
		assertThat(this.links.hostLinkExists(this.db.hostIfName())).isTrue();

		reconcilerOf(restarted).reconcile();

		assertThat(restarted.quarantinedIds().all()).as("its veth may still run programs reading the id's settings")
			.containsExactly(this.db.id());
		assertThat(this.datapath.removedOrphaned).isEmpty();
		this.pods.put("default", "new1", "k8s:app=new");
		assertThat(restarted.add(EndpointLifecycleTest.request("c-new1", "new1")).id()).isNotIn(this.db.id(),
				this.web.id());
		reconcilerOf(restarted).reconcile();
		assertThat(restarted.quarantinedIds().all()).as("a new endpoint's veth is owned, the db pod's is not")
			.containsExactly(this.db.id());

		restarted.delete("c-db", "eth0");
		reconcilerOf(restarted).reconcile();

		assertThat(this.links.hostLinkExists(this.db.hostIfName())).isFalse();
		assertThat(this.datapath.removedOrphaned).containsExactly(this.db.id());
		assertThat(restarted.quarantinedIds().all()).isEmpty();
	}

	private OrphanReconciler reconcilerOf(EndpointManager manager) {
		return new OrphanReconciler(manager.orphans(), Optional::empty, this.clock, GRACE,
				manager.orphanRelease()::release, manager.quarantinedIds());
	}

}
