package io.jcilium.agent.endpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;

import io.jcilium.agent.link.InMemoryLinkOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The asynchronous lifecycle: endpoints wait for their pod and identity with a reason,
 * recover on their own, move to a new identity when labels change, and tell listeners.
 */
class EndpointLifecycleTest {

	private static final Duration WAIT = Duration.ofSeconds(5);

	@TempDir
	Path stateDir;

	private final InMemoryLinkOperations links = new InMemoryLinkOperations();

	private final InMemoryPodMetadata pods = new InMemoryPodMetadata();

	private final RecordingEndpointDatapath datapath = new RecordingEndpointDatapath();

	private final RecordingEndpointListener listener = new RecordingEndpointListener();

	private EndpointManager manager;

	private PersistentPodIps ips;

	private final ExecutorService adds = Executors.newCachedThreadPool();

	@AfterEach
	void stop() {
		this.adds.shutdownNow();
		if (this.manager != null) {
			this.manager.close();
		}
	}

	private EndpointManager start(IdentityResolver identities, Duration addSyncTimeout) {
		return start(identities, addSyncTimeout, PolicyReadiness.READY);
	}

	private EndpointManager start(IdentityResolver identities, Duration addSyncTimeout, PolicyReadiness policy) {
		this.ips = new PersistentPodIps("10.40.0.0/24", this.stateDir.resolve("ips"));
		this.manager = new EndpointManager(this.links, this.ips, identities, this.datapath, this.pods,
				List.of(this.listener), new EndpointLifecycleSettings(addSyncTimeout, Duration.ofMillis(20),
						Duration.ofMillis(200), 2, this.stateDir.resolve("endpoints")),
				policy);
		this.listener.watching(this.manager);
		return this.manager;
	}

	@Test
	void unknownPodWaitsForIdentityHeldAtInitSayingWhyThenBecomesReadyWhenTheApiServerKnowsIt() throws Exception {
		FlakyIdentityResolver identities = new FlakyIdentityResolver(0);
		start(identities, WAIT);
		CompletableFuture<Endpoint> add = addInBackground(request("c1", "web"));
		Endpoint endpoint = awaitCreated("c1",
				(created) -> created.stateReason().contains("pod default/web not yet seen from the API server"));

		assertThat(endpoint.state()).isEqualTo(EndpointState.WAITING_FOR_IDENTITY);
		assertThat(endpoint.stateReason()).contains("traffic dropped (init identity)");
		assertThat(endpoint.identity()).isEqualTo(ReservedIdentity.INIT.id());
		assertThat(this.datapath.guarded).as("guarded before ADD answers").containsExactly(endpoint.id());
		assertThat(this.links.hostLinkExists(endpoint.hostIfName())).as("the pod is connected meanwhile").isTrue();
		assertThat(this.datapath.regenerated).isEmpty();
		assertThat(add).as("ADD answers only for an enforced pod").isNotDone();

		this.pods.put("default", "web", "k8s:app=web");
		assertThat(add.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isSameAs(endpoint);
		assertThat(endpoint.state()).isEqualTo(EndpointState.READY);
		assertThat(endpoint.identity()).isEqualTo(identities.identityOf(Labels.parse(List.of("k8s:app=web"))));
		assertThat(endpoint.securityLabels().toString()).contains("app=web");
		assertThat(identities.released).as("init was never resolved, so never released").isEmpty();
	}

	@Test
	void noEndpointBecomesReadyBeforeThePolicyInputsHaveSynced() throws Exception {
		AtomicReference<String> awaited = new AtomicReference<>(
				"waiting for the network policies from the API server to sync before computing policy");
		this.pods.put("default", "web", "k8s:app=web");
		start(new FlakyIdentityResolver(0), WAIT, () -> Optional.ofNullable(awaited.get()));
		CompletableFuture<Endpoint> add = addInBackground(request("c1", "web"));

		Endpoint endpoint = awaitCreated("c1", (created) -> created.state() == EndpointState.WAITING_TO_REGENERATE
				&& created.stateReason().contains("waiting for the network policies from the API server"));
		assertThat(endpoint.stateReason()).contains("retrying");
		assertThat(this.datapath.guarded).as("guarded with an empty policy map: the inputs have not synced")
			.containsExactly(-endpoint.id());
		assertThat(this.datapath.regenerated).as("no policy computed from part of the inputs").isEmpty();
		assertThat(add).isNotDone();

		awaited.set(null);
		assertThat(add.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).state()).isEqualTo(EndpointState.READY);
		assertThat(this.datapath.regenerationsOf(endpoint.id())).isOne();
	}

	/**
	 * The ADD puts the endpoint in the table before its guard is attached; a regeneration
	 * of every endpoint (the policy inputs syncing, a policy change) in that window used
	 * to regenerate it first, then the guard replaced its programs and reset its identity
	 * to init, and the retry made it ready at the init identity: a pod nobody could
	 * reach, reported ready.
	 */
	@Test
	void aRegenerationAskedForWhileTheAddAttachesTheGuardWaitsForTheGuard() throws Exception {
		this.pods.put("default", "web", "k8s:app=web");
		FlakyIdentityResolver identities = new FlakyIdentityResolver(0);
		start(identities, WAIT);
		CountDownLatch inGuard = new CountDownLatch(1);
		CountDownLatch releaseGuard = new CountDownLatch(1);
		this.datapath.duringGuard = () -> {
			inGuard.countDown();
			try {
				releaseGuard.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
		CompletableFuture<Endpoint> add = addInBackground(request("c1", "web"));
		assertThat(inGuard.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		Endpoint endpoint = this.manager.find("c1", "eth0").orElseThrow();
		this.manager.regenerateAll();
		// Time for a worker to reconcile the half-created endpoint, as it did before.
		Thread.sleep(300);
		releaseGuard.countDown();

		assertThat(add.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).state()).isEqualTo(EndpointState.READY);
		long web = identities.identityOf(Labels.parse(List.of("k8s:app=web")));
		assertThat(endpoint.identity()).as("ready at its own identity, not init").isEqualTo(web);
		assertThat(this.datapath.calls).as("the guard first, then regenerations with the pod's identity")
			.first()
			.isEqualTo("guard " + endpoint.id());
		assertThat(this.datapath.calls).last().isEqualTo("regenerate " + endpoint.id() + " " + web);
		assertThat(this.datapath.calls).noneMatch((call) -> call.endsWith(" " + ReservedIdentity.INIT.id()));
	}

	@Test
	void aPolicyMapThatMissedAChangeShowsNotReadyWithTheReasonUntilARegenerationWritesIt() {
		this.pods.put("default", "web", "k8s:app=web");
		Endpoint endpoint = start(new FlakyIdentityResolver(0), WAIT).add(request("c1", "web"));
		assertThat(endpoint.state()).isEqualTo(EndpointState.READY);

		this.datapath.failure = "the policy map of endpoint " + endpoint.id()
				+ " holds 16384 of 16384 keys and the change needs 3 more: refused before writing";
		this.manager.regenerate(endpoint.id(), "its policy map missed a change");
		Eventually.await("not ready with the reason", WAIT, () -> endpoint.state() == EndpointState.NOT_READY);
		assertThat(endpoint.stateReason()).contains("holds 16384 of 16384 keys");

		this.datapath.failure = null;
		Eventually.await("ready once the map is written", WAIT, () -> endpoint.state() == EndpointState.READY);
		assertThat(this.datapath.regenerationsOf(endpoint.id())).isEqualTo(2);
	}

	@Test
	void identityServiceOutageKeepsTheEndpointWaitingWithTheReasonUntilItReturns() throws Exception {
		FlakyIdentityResolver identities = new FlakyIdentityResolver(0);
		identities.down = true;
		this.pods.put("default", "web", "k8s:app=web");
		start(identities, WAIT);
		CompletableFuture<Endpoint> add = addInBackground(request("c1", "web"));
		Endpoint endpoint = awaitCreated("c1",
				(created) -> created.stateReason().contains("identity-service unavailable: connection refused"));

		assertThat(endpoint.state()).isEqualTo(EndpointState.WAITING_FOR_IDENTITY);
		assertThat(endpoint.stateReason()).contains("retrying").contains("traffic dropped (init identity)");
		assertThat(this.manager.list()).singleElement()
			.satisfies((status) -> assertThat(status.state()).isEqualTo("waiting-for-identity"));
		int callsWhileDown = identities.calls();
		Eventually.await("retried with backoff", WAIT, () -> identities.calls() > callsWhileDown + 1);

		identities.down = false;
		assertThat(add.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).state()).isEqualTo(EndpointState.READY);
		assertThat(this.datapath.regenerationsOf(endpoint.id())).isOne();
	}

	@Test
	void addWaitsThroughAFewFailedResolutionsAndAnswersReady() {
		FlakyIdentityResolver identities = new FlakyIdentityResolver(3);
		this.pods.put("default", "web", "k8s:app=web");
		Endpoint endpoint = start(identities, WAIT).add(request("c1", "web"));

		assertThat(endpoint.state()).isEqualTo(EndpointState.READY);
		assertThat(identities.calls()).isEqualTo(4);
	}

	@Test
	void labelChangeMovesTheEndpointToANewIdentityAndReleasesTheOldOne() {
		FlakyIdentityResolver identities = new FlakyIdentityResolver(0);
		this.pods.put("default", "web", "k8s:app=web");
		Endpoint endpoint = start(identities, WAIT).add(request("c1", "web"));
		long webIdentity = endpoint.identity();
		assertThat(endpoint.state()).isEqualTo(EndpointState.READY);

		this.pods.put("default", "web", "k8s:app=db");
		this.manager.podMetadataChanged("default", "web");

		long dbIdentity = identities.identityOf(Labels.parse(List.of("k8s:app=db")));
		Eventually.await("new identity regenerated", WAIT,
				() -> endpoint.identity() == dbIdentity && endpoint.state() == EndpointState.READY);
		assertThat(dbIdentity).isNotEqualTo(webIdentity);
		assertThat(this.datapath.regenerated).extracting((entry) -> entry[1]).containsExactly(webIdentity, dbIdentity);
		assertThat(identities.released).containsExactly(webIdentity);

		int reads = this.pods.reads("default", "web");
		this.manager.podMetadataChanged("default", "web");
		this.manager.podMetadataChanged("default", "other");
		Eventually.await("the pod event read the labels again and the run finished", WAIT,
				() -> this.pods.reads("default", "web") > reads && idle(endpoint));
		assertThat(identities.calls()).as("same labels, no new identity").isEqualTo(2);
		assertThat(this.datapath.regenerationsOf(endpoint.id())).as("no regeneration without a change").isEqualTo(2);

		this.manager.regenerateAll();
		Eventually.await("regenerated on request", WAIT, () -> this.datapath.regenerationsOf(endpoint.id()) == 3);
		this.manager.delete("c1", "eth0");
		assertThat(identities.released).as("both identities given back").containsExactly(webIdentity, dbIdentity);
	}

	@Test
	void listenersSeeEveryStateAndTheRemovalOutsideTheLocks() {
		this.pods.put("default", "web", "k8s:app=web");
		Endpoint endpoint = start(new FlakyIdentityResolver(0), WAIT).add(request("c1", "web"));
		assertThat(this.listener.statesOf(endpoint.id())).containsSubsequence("waiting-for-identity",
				"waiting-to-regenerate", "regenerating", "ready");
		assertThat(this.listener.changed).last().satisfies((status) -> {
			assertThat(status.identity()).isEqualTo(endpoint.identity());
			assertThat(status.stateReason()).contains("regenerated");
		});

		this.manager.delete("c1", "eth0");
		assertThat(this.listener.removed).singleElement()
			.satisfies((status) -> assertThat(status.state()).isEqualTo("disconnected"));
		assertThat(this.listener.calledUnderLock).isFalse();
	}

	@Test
	void deleteOfAWaitingEndpointStopsItsRetriesAndReleasesEverything() {
		FlakyIdentityResolver identities = new FlakyIdentityResolver(0);
		identities.down = true;
		this.pods.put("default", "web", "k8s:app=web");
		this.pods.put("default", "db", "k8s:app=db");
		start(identities, WAIT);
		CompletableFuture<Endpoint> add = addInBackground(request("c1", "web"));
		addInBackground(request("c2", "db"));
		Endpoint endpoint = awaitCreated("c1", (created) -> created.stateReason().contains("unavailable"));
		awaitCreated("c2", (created) -> created.stateReason().contains("unavailable"));

		this.manager.delete("c1", "eth0");
		assertThat(add).as("its ADD fails").failsWithin(WAIT);
		int calls = identities.callsFor("web");
		int witnessCalls = identities.callsFor("db");
		// The endpoint still waiting retries on the same backoff: three more of its
		// attempts prove the deleted one would have retried by now.
		Eventually.await("the other waiting endpoint retried three times", WAIT,
				() -> identities.callsFor("db") >= witnessCalls + 3);
		assertThat(identities.callsFor("web")).as("no retries after DEL").isEqualTo(calls);
		assertThat(endpoint.state()).isEqualTo(EndpointState.DISCONNECTED);
		assertThat(this.links.hostLinkExists(endpoint.hostIfName())).isFalse();
		assertThat(this.stateDir.resolve("endpoints").resolve(endpoint.id() + ".json")).doesNotExist();
	}

	@Test
	void addNotReadyWithinTheSyncTimeoutFailsTryAgainLaterAndLeavesNothing() throws Exception {
		FlakyIdentityResolver identities = new FlakyIdentityResolver(0);
		identities.down = true;
		this.pods.put("default", "web", "k8s:app=web");
		EndpointManager manager = start(identities, Duration.ofMillis(100));

		assertThatThrownBy(() -> manager.add(request("c1", "web")))
			.isInstanceOfSatisfying(EndpointCreationException.class, (ex) -> {
				assertThat(ex.stage()).isEqualTo(EndpointCreationException.Stage.SYNC_TIMEOUT);
				assertThat(ex.getMessage()).contains("not ready after 100 ms")
					.contains("waiting-for-identity")
					.contains("traffic dropped (init identity)");
			});

		int id = this.datapath.guarded.get(0);
		assertThat(this.datapath.removed).as("the guard's programs removed").containsExactly(id);
		assertThat(manager.list()).isEmpty();
		assertThat(this.links.hostLinkExists(EndpointManager.hostIfName("c1", "eth0"))).isFalse();
		assertThat(this.ips.allocations()).as("address released").isEmpty();
		assertThat(this.stateDir.resolve("endpoints").resolve(id + ".json")).doesNotExist();
		assertThat(this.listener.removed).singleElement()
			.satisfies((status) -> assertThat(status.state()).isEqualTo("disconnected"));
		assertThat(identities.released).as("init is never released").isEmpty();
		manager.delete("c1", "eth0");
	}

	@Test
	void theDisabledDatapathKeepsARestoredEndpointNotReadySayingWhy() {
		this.pods.put("default", "web", "k8s:app=web");
		FlakyIdentityResolver identities = new FlakyIdentityResolver(0);
		Endpoint before = start(identities, WAIT).add(request("c1", "web"));
		this.manager.close();

		this.manager = new EndpointManager(this.links, this.ips, identities, new NoEndpointDatapath(), this.pods,
				List.of(), new EndpointLifecycleSettings(WAIT, Duration.ofMillis(20), Duration.ofMillis(200), 2,
						this.stateDir.resolve("endpoints")));
		assertThat(this.manager.restore()).hasSize(1);
		Eventually.await("not-ready with the reason", WAIT,
				() -> this.manager.list()
					.stream()
					.anyMatch((status) -> status.id() == before.id() && "not-ready".equals(status.state())));
		assertThat(this.manager.list()).singleElement()
			.satisfies((status) -> assertThat(status.stateReason())
				.contains("no datapath: jcilium.datapath.enabled=false, nothing enforces policy for this pod"));
	}

	/** CNI ADD as the agent API runs it: on its own thread, waiting for ready. */
	private CompletableFuture<Endpoint> addInBackground(EndpointRequest request) {
		return CompletableFuture.supplyAsync(() -> this.manager.add(request), this.adds);
	}

	/** The endpoint of a container, once it exists and satisfies {@code condition}. */
	private Endpoint awaitCreated(String containerId, Predicate<Endpoint> condition) {
		Eventually.await("endpoint of " + containerId, WAIT,
				() -> this.manager.find(containerId, "eth0").filter(condition).isPresent());
		return this.manager.find(containerId, "eth0").orElseThrow();
	}

	/** No run of the endpoint's regeneration is queued or in progress. */
	private static boolean idle(Endpoint endpoint) {
		synchronized (endpoint.work) {
			return !endpoint.work.scheduled && !endpoint.work.running;
		}
	}

	static EndpointRequest request(String containerId, String pod) {
		return new EndpointRequest(containerId, "eth0", "/run/netns/" + containerId, "default", pod, null);
	}

}
