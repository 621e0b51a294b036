package io.jcilium.agent.endpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.jcilium.agent.link.InMemoryLinkOperations;
import io.jcilium.agent.link.LinkException;
import io.jcilium.agent.link.LinkOperations;
import io.jcilium.agent.link.PodLink;
import io.jcilium.agent.link.PodLinkSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A burst of ADDs: every ADD is taken at once (address, endpoint id, a place in the
 * table), but only as many veth set-ups and guards run at a time as there are set-up
 * slots; the rest queue, and every pod still becomes ready.
 */
class EndpointSetupSlotsTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final int SLOTS = 2;

	private static final int PODS = 6;

	@TempDir
	Path stateDir;

	private final HeldLinkOperations links = new HeldLinkOperations();

	private final InMemoryPodMetadata pods = new InMemoryPodMetadata();

	private final ExecutorService adds = Executors.newCachedThreadPool();

	private EndpointManager manager;

	@AfterEach
	void stop() {
		this.links.open.countDown();
		this.adds.shutdownNow();
		if (this.manager != null) {
			this.manager.close();
		}
	}

	@Test
	void aBurstSetsUpNoMoreEndpointsAtOnceThanTheSlotsAndEveryPodBecomesReady() throws Exception {
		start(SLOTS);
		List<CompletableFuture<Endpoint>> burst = new ArrayList<>();
		for (int i = 0; i < PODS; i++) {
			this.pods.put("default", "p" + i, "k8s:app=burst");
			EndpointRequest request = EndpointLifecycleTest.request("c" + i, "p" + i);
			burst.add(CompletableFuture.supplyAsync(() -> this.manager.add(request), this.adds));
		}
		// Every ADD got its address and endpoint before any set-up ended; only the slots'
		// worth are setting up their veth, the others wait for a slot.
		// (the high-water mark is written just after the count: wait for both)
		Eventually.await("all " + PODS + " endpoints created", WAIT, () -> this.manager.list().size() == PODS
				&& this.links.inside.get() == SLOTS && this.links.mostAtOnce.get() >= SLOTS);
		assertThat(this.links.mostAtOnce.get()).as("veth set-ups running at once").isEqualTo(SLOTS);
		assertThat(burst).noneMatch(CompletableFuture::isDone);

		this.links.open.countDown();
		for (CompletableFuture<Endpoint> add : burst) {
			assertThat(add.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).state()).isEqualTo(EndpointState.READY);
		}
		assertThat(this.links.created.get()).isEqualTo(PODS);
		assertThat(this.links.mostAtOnce.get()).as("veth set-ups running at once, whole burst").isEqualTo(SLOTS);
	}

	@Test
	void aFailedSetUpGivesItsSlotBack() throws Exception {
		start(1);
		this.links.open.countDown();
		this.pods.put("default", "p1", "k8s:app=burst");
		this.pods.put("default", "p2", "k8s:app=burst");
		this.links.delegate.failNextCreate("link refused");
		assertThatThrownBy(() -> this.manager.add(EndpointLifecycleTest.request("c1", "p1")))
			.isInstanceOf(EndpointCreationException.class)
			.hasMessageContaining("link refused");

		Endpoint next = CompletableFuture
			.supplyAsync(() -> this.manager.add(EndpointLifecycleTest.request("c2", "p2")), this.adds)
			.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(next.state()).as("the only slot came back after the failure").isEqualTo(EndpointState.READY);
	}

	@Test
	void aNegativeNumberOfSlotsIsRefusedSayingWhatIsAllowed() {
		assertThatThrownBy(
				() -> new EndpointLifecycleSettings(WAIT, Duration.ofMillis(20), Duration.ofMillis(200), 2, null, -1))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("concurrent endpoint set-ups must be 0 (the cores) or more, not -1");
		assertThat(new SetupSlots(0).available()).as("0 means one slot per core")
			.isEqualTo(Runtime.getRuntime().availableProcessors());
	}

	private void start(int slots) {
		PersistentPodIps ips = new PersistentPodIps("10.41.0.0/24", this.stateDir.resolve("ips"));
		this.manager = new EndpointManager(this.links, ips, new FlakyIdentityResolver(0),
				new RecordingEndpointDatapath(), this.pods, List.of(), new EndpointLifecycleSettings(WAIT,
						Duration.ofMillis(20), Duration.ofMillis(200), 2, this.stateDir.resolve("endpoints"), slots));
	}

	/**
	 * Links in memory whose creation waits until the test opens them, counting overlap.
	 */
	private static final class HeldLinkOperations implements LinkOperations {

		final InMemoryLinkOperations delegate = new InMemoryLinkOperations();

		final CountDownLatch open = new CountDownLatch(1);

		final AtomicInteger inside = new AtomicInteger();

		final AtomicInteger mostAtOnce = new AtomicInteger();

		final AtomicInteger created = new AtomicInteger();

		@Override
		public PodLink createPodLink(PodLinkSpec spec) {
			this.mostAtOnce.accumulateAndGet(this.inside.incrementAndGet(), Math::max);
			try {
				if (!this.open.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
					throw new LinkException("the test never opened the links");
				}
				PodLink link = this.delegate.createPodLink(spec);
				this.created.incrementAndGet();
				return link;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new LinkException("interrupted");
			}
			finally {
				this.inside.decrementAndGet();
			}
		}

		@Override
		public void deletePodLink(String hostIfName) {
			this.delegate.deletePodLink(hostIfName);
		}

		@Override
		public boolean hostLinkExists(String hostIfName) {
			return this.delegate.hostLinkExists(hostIfName);
		}

	}

}
