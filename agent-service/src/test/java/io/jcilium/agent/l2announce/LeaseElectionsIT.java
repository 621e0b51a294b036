package io.jcilium.agent.l2announce;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Lease elections against fabric8's CRUD mock API server (real PUTs with resource
 * versions, real watches), with short timings (lease 2 s, renew deadline 1 s, retry 0.5
 * s): one holder of two candidates; of two writes racing on one resource version, one is
 * refused and its candidate waits; a standby takes a dead holder's Lease at its expiry,
 * not before and not a retry period later; a holder whose Lease is taken from it, or who
 * cannot renew within the deadline, stops acting on it before another starts; a graceful
 * stop hands the Lease over at once.
 */
@EnableKubernetesMockClient(crud = true)
class LeaseElectionsIT {

	private static final String NAMESPACE = "kube-system";

	private static final Duration BOUND = Duration.ofSeconds(30);

	static KubernetesClient client;

	private final AnnouncedService service = new AnnouncedService("shop",
			"web" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff)));

	private final List<LeaseElections> started = new ArrayList<>();

	@AfterEach
	void stopAll() {
		this.started.forEach(LeaseElections::close);
	}

	@Test
	void writesCarryTheResourceVersionReadAndAStaleOneIsRefused() {
		KubernetesLeaseStore store = new KubernetesLeaseStore(client, NAMESPACE);
		String name = this.service.leaseName();
		LeaseRecord created = store.create(name, LeaseRecord.created("node-1", 15, Instant.now()));
		assertThatThrownBy(() -> store.create(name, LeaseRecord.created("node-2", 15, Instant.now())))
			.isInstanceOf(LeaseStore.Conflict.class);
		LeaseRecord renewed = store.update(name, created.takenBy("node-1", 15, Instant.now()));
		assertThat(renewed.resourceVersion()).isNotEqualTo(created.resourceVersion());
		assertThatThrownBy(() -> store.update(name, created.takenBy("node-2", 15, Instant.now())))
			.isInstanceOf(LeaseStore.Conflict.class);
		assertThat(store.get(name)).isEqualTo(renewed);
	}

	@Test
	void oneOfTwoCandidatesHoldsTheLeaseInUpstreamsFields() throws Exception {
		LeaseElections first = elections("node-1", store(), false);
		LeaseElections second = elections("node-2", store(), false);
		first.retain(Set.of(this.service));
		second.retain(Set.of(this.service));
		waitFor("a holder", () -> !first.held().isEmpty() || !second.held().isEmpty());
		String holder = first.held().isEmpty() ? "node-2" : "node-1";
		Instant renewed = lease().getSpec().getRenewTime().toInstant();
		// a few renewals: never two holders, never a change of holder
		long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		while (System.nanoTime() < until) {
			assertThat(first.held().isEmpty() || second.held().isEmpty()).as("two holders").isTrue();
			Thread.sleep(20);
		}
		Lease lease = lease();
		assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(holder);
		assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(2);
		assertThat(lease.getSpec().getLeaseTransitions()).isZero();
		assertThat(lease.getSpec().getAcquireTime()).isNotNull();
		assertThat(lease.getSpec().getRenewTime().toInstant()).isAfter(renewed);
	}

	@Test
	void ofTwoWritesOnTheSameVersionOneIsRefusedAndItsCandidateWaitsForTheWinner() throws Exception {
		// a dead holder's Lease, expired for both candidates at the same moment
		new KubernetesLeaseStore(client, NAMESPACE).create(this.service.leaseName(),
				LeaseRecord.created("node-0", 1, Instant.now()));
		CyclicBarrier bothRead = new CyclicBarrier(2);
		AtomicInteger conflicts = new AtomicInteger();
		LeaseElections first = elections("node-1", racing(bothRead, conflicts), false);
		LeaseElections second = elections("node-2", racing(bothRead, conflicts), false);
		first.retain(Set.of(this.service));
		second.retain(Set.of(this.service));
		waitFor("a holder", () -> !first.held().isEmpty() || !second.held().isEmpty());
		Thread.sleep(1000);
		assertThat(conflicts).hasValue(1);
		assertThat(first.held().isEmpty() ^ second.held().isEmpty()).as("exactly one holder").isTrue();
		Lease lease = lease();
		assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(first.held().isEmpty() ? "node-2" : "node-1");
		assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(1);
	}

	@Test
	void aStandbyTakesADeadHoldersLeaseWhenItExpiresNotBeforeAndNotARetryLater() throws Exception {
		LeaseElections first = elections("node-1", store(), false);
		first.retain(Set.of(this.service));
		waitFor("node-1 to hold the Lease", () -> !first.held().isEmpty());
		LeaseElections second = elections("node-2", store(), false);
		second.retain(Set.of(this.service));
		// past node-2's first sighting, which counts as a renewal
		Thread.sleep(2500);
		first.leaveAll();
		Instant lastRenewal = lease().getSpec().getRenewTime().toInstant();
		waitFor("node-2 to take the Lease", () -> !second.held().isEmpty());
		Lease lease = lease();
		assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("node-2");
		assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(1);
		Duration takeover = Duration.between(lastRenewal, lease.getSpec().getAcquireTime().toInstant());
		System.out.printf("Lease taken %d ms after the dead holder's last renewal (lease 2 s, retry 0.5 s)%n",
				takeover.toMillis());
		// one clock (one machine): not before the Lease ran out, and before a poll every
		// retry period could be sure to notice
		assertThat(takeover).isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofMillis(2500));
	}

	@Test
	void aHolderWhoseLeaseIsTakenFromItStopsActingOnItAtOnceAndLeavesItAlone() throws Exception {
		AtomicInteger changes = new AtomicInteger();
		LeaseElections first = elections("node-1", store(), false, changes::incrementAndGet);
		first.retain(Set.of(this.service));
		waitFor("node-1 to hold the Lease", () -> !first.held().isEmpty());
		int before = changes.get();
		client.leases().inNamespace(NAMESPACE).withName(this.service.leaseName()).edit((lease) -> {
			lease.getSpec().setHolderIdentity("intruder");
			lease.getSpec().setLeaseDurationSeconds(30);
			return lease;
		});
		long stolen = System.nanoTime();
		waitFor("node-1 to stop holding the Lease", () -> first.held().isEmpty());
		Duration noticed = Duration.ofNanos(System.nanoTime() - stolen);
		// the change is told after held() changes, on the election thread
		waitFor("node-1 to be told it lost the Lease", () -> changes.get() > before);
		// the watch told it, not its next renewal after a retry period or the deadline
		assertThat(noticed).isLessThan(Duration.ofMillis(500));
		Thread.sleep(1500);
		assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("intruder");
		assertThat(first.held()).isEmpty();
	}

	@Test
	void aHolderThatCannotRenewStopsActingBeforeAnotherCandidateStarts() throws Exception {
		Partitionable partitioned = new Partitionable(store());
		LeaseElections first = elections("node-1", partitioned, false);
		first.retain(Set.of(this.service));
		waitFor("node-1 to hold the Lease", () -> !first.held().isEmpty());
		LeaseElections second = elections("node-2", store(), false);
		second.retain(Set.of(this.service));
		Thread.sleep(500);
		partitioned.cut.set(true);
		long cut = System.nanoTime();
		long firstStopped = 0;
		while (second.held().isEmpty()) {
			assertThat(System.nanoTime() - cut).as("waiting for node-2 to take over").isLessThan(BOUND.toNanos());
			boolean firstHolds = !first.held().isEmpty();
			assertThat(firstHolds && !second.held().isEmpty()).as("two holders").isFalse();
			if (!firstHolds && firstStopped == 0) {
				firstStopped = System.nanoTime();
			}
			Thread.sleep(10);
		}
		long secondStarted = System.nanoTime();
		assertThat(firstStopped).as("node-1 stopped").isPositive();
		System.out.printf("Cut off: node-1 stopped after %d ms, node-2 took over after %d ms%n",
				(firstStopped - cut) / 1_000_000, (secondStarted - cut) / 1_000_000);
		// the renew deadline (1 s since the last renewal) came before the Lease could run
		// out for node-2 (2 s since it saw that renewal)
		assertThat(secondStarted - firstStopped).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(500));
		partitioned.cut.set(false);
		Thread.sleep(1500);
		assertThat(first.held()).isEmpty();
		assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("node-2");
	}

	@Test
	void aGracefulStopReleasesTheLeaseAndTheStandbyTakesItWithoutWaitingItOut() throws Exception {
		LeaseElections first = elections("node-1", store(), true);
		first.retain(Set.of(this.service));
		waitFor("node-1 to hold the Lease", () -> !first.held().isEmpty());
		LeaseElections second = elections("node-2", store(), true);
		second.retain(Set.of(this.service));
		Thread.sleep(500);
		long stopped = System.nanoTime();
		first.close();
		waitFor("node-2 to take the Lease", () -> !second.held().isEmpty());
		// the Lease was released: no wait for its 2 s to run out
		assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofMillis(1500));
		assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("node-2");
		assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
	}

	private LeaseElections elections(String node, LeaseStore store, boolean releaseOnStop) {
		return elections(node, store, releaseOnStop, () -> {
		});
	}

	private LeaseElections elections(String node, LeaseStore store, boolean releaseOnStop, Runnable onChange) {
		L2AnnouncementProperties timings = new L2AnnouncementProperties(true, Duration.ofSeconds(2),
				Duration.ofSeconds(1), Duration.ofMillis(500), NAMESPACE, releaseOnStop, Duration.ofSeconds(30),
				XdpMode.GENERIC);
		LeaseElections elections = new LeaseElections(store, timings, node, onChange);
		this.started.add(elections);
		return elections;
	}

	private static LeaseStore store() {
		return new KubernetesLeaseStore(client, NAMESPACE);
	}

	private Lease lease() {
		return client.leases().inNamespace(NAMESPACE).withName(this.service.leaseName()).get();
	}

	private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + BOUND.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	/** The first update of each candidate waits until both have read the same version. */
	private static LeaseStore racing(CyclicBarrier bothRead, AtomicInteger conflicts) {
		return new Delegating(store()) {

			private final AtomicBoolean first = new AtomicBoolean(true);

			@Override
			public LeaseRecord update(String name, LeaseRecord record) {
				if (this.first.getAndSet(false)) {
					try {
						bothRead.await(10, TimeUnit.SECONDS);
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}
				try {
					return super.update(name, record);
				}
				catch (LeaseStore.Conflict ex) {
					conflicts.incrementAndGet();
					throw ex;
				}
			}

		};
	}

	/** A node cut off from the API server: every call fails, no watch event arrives. */
	private static final class Partitionable extends Delegating {

		final AtomicBoolean cut = new AtomicBoolean();

		Partitionable(LeaseStore store) {
			super(store);
		}

		@Override
		public LeaseRecord get(String name) {
			check();
			return super.get(name);
		}

		@Override
		public LeaseRecord create(String name, LeaseRecord record) {
			check();
			return super.create(name, record);
		}

		@Override
		public LeaseRecord update(String name, LeaseRecord record) {
			check();
			return super.update(name, record);
		}

		@Override
		public AutoCloseable watch(BiConsumer<String, LeaseRecord> onChange) {
			return super.watch((name, record) -> {
				if (!this.cut.get()) {
					onChange.accept(name, record);
				}
			});
		}

		private void check() {
			if (this.cut.get()) {
				throw new KubernetesClientException("connect timed out");
			}
		}

	}

	private static class Delegating implements LeaseStore {

		private final LeaseStore store;

		Delegating(LeaseStore store) {
			this.store = store;
		}

		@Override
		public LeaseRecord get(String name) {
			return this.store.get(name);
		}

		@Override
		public LeaseRecord create(String name, LeaseRecord record) {
			return this.store.create(name, record);
		}

		@Override
		public LeaseRecord update(String name, LeaseRecord record) {
			return this.store.update(name, record);
		}

		@Override
		public AutoCloseable watch(BiConsumer<String, LeaseRecord> onChange) {
			return this.store.watch(onChange);
		}

	}

}
