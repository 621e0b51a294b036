package io.jcilium.operator.election;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.operator.k8s.MockApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two operator replicas electing a leader on a Lease in fabric8's CRUD mock server.
 */
@EnableKubernetesMockClient(crud = true)
class LeaseElectionIT {

	static KubernetesClient client;

	/** The operator's own client, whose calls are recorded for the chart's RBAC check. */
	static KubernetesClient operator;

	@BeforeAll
	static void warmUp() {
		MockApi.warmUp(client);
		operator = MockApi.operatorClient(client);
	}

	private LeaseElection first;

	private LeaseElection second;

	@AfterAll
	static void closeOperatorClient() {
		operator.close();
	}

	@AfterEach
	void stopAll() {
		for (LeaseElection election : new LeaseElection[] { this.first, this.second }) {
			if (election != null) {
				election.stop();
			}
		}
		client.leases().inNamespace("kube-system").delete();
	}

	@Test
	void onlyOneReplicaLeadsAndTheOtherTakesOverWhenTheLeaderDies() {
		CountingTask firstTask = new CountingTask();
		CountingTask secondTask = new CountingTask();
		// A replica that dies cannot release the Lease: the other must wait for it to
		// expire.
		this.first = new LeaseElection(operator, properties("crash", false), "replica-a", List.of(firstTask));
		this.second = new LeaseElection(operator, properties("crash", false), "replica-b", List.of(secondTask));
		this.first.start();
		// Generous: the first request of a cold JVM on a loaded machine can take seconds.
		await(this.first::isLeader, Duration.ofSeconds(60));
		awaitFreshRenewal("crash");
		this.second.start();
		await(() -> "replica-a".equals(this.second.leader()), Duration.ofSeconds(30));
		assertThat(this.second.isLeader()).isFalse();
		assertThat(secondTask.starts.get()).isZero();
		assertThat(holder("crash")).isEqualTo("replica-a");
		// Both replicas are healthy; leadership is a detail.
		Health leaderHealth = new LeaderHealthIndicator(this.first, true).health();
		Health standbyHealth = new LeaderHealthIndicator(this.second, true).health();
		assertThat(leaderHealth.getStatus()).isEqualTo(Status.UP);
		assertThat(leaderHealth.getDetails()).containsEntry("leading", true).containsEntry("leader", "replica-a");
		assertThat(standbyHealth.getStatus()).isEqualTo(Status.UP);
		assertThat(standbyHealth.getDetails()).containsEntry("leading", false)
			.containsEntry("leader", "replica-a")
			.containsEntry("identity", "replica-b");

		long stoppedAt = System.nanoTime();
		this.first.stop();
		assertThat(firstTask.stops.get()).isEqualTo(1);
		// A replica is the leader just before its tasks start.
		await(() -> this.second.isLeader() && secondTask.starts.get() > 0, Duration.ofSeconds(30));
		Duration failover = Duration.ofNanos(System.nanoTime() - stoppedAt);
		assertThat(secondTask.starts.get()).isEqualTo(1);
		assertThat(holder("crash")).isEqualTo("replica-b");
		assertThat(new LeaderHealthIndicator(this.second, true).health().getDetails()).containsEntry("leading", true)
			.containsEntry("leader", "replica-b");
		// A replica that left the election could never take over again: that is DOWN.
		Health stopped = new LeaderHealthIndicator(this.first, true).health();
		assertThat(stopped.getStatus()).isEqualTo(Status.DOWN);
		assertThat(stopped.getDetails()).containsEntry("reason",
				"this replica is not taking part in the leader election");
		// Not before the dead leader's Lease (4 s from its last renewal) expired.
		assertThat(failover).isGreaterThan(Duration.ofMillis(2500));
		System.out.println("Failover after a dead leader took " + failover.toMillis() + " ms (lease 4 s)");
	}

	@Test
	void aLeaderThatLosesTheLeaseStopsItsTasksAndLeadsAgainOnceTheLeaseIsFree() {
		CountingTask task = new CountingTask();
		this.first = new LeaseElection(operator, properties("lost", false), "replica-a", List.of(task));
		this.first.start();
		await(this.first::isLeader, Duration.ofSeconds(60));
		awaitFreshRenewal("lost");

		// Another holder writes the Lease (as after a renewal that came too late): the
		// leader's renewals fail until its renew deadline, and it is out of that run.
		Lease lease = client.leases().inNamespace("kube-system").withName("lost").get();
		lease.getSpec().setHolderIdentity("intruder");
		lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
		client.leases().inNamespace("kube-system").resource(lease).update();
		await(() -> task.stops.get() == 1, Duration.ofSeconds(30));
		assertThat(this.first.isLeader()).isFalse();
		assertThat(this.first.isRunning()).as("still taking part").isTrue();

		// The intruder never renews: once its Lease expired, the replica leads again (and
		// is the leader just before its tasks start).
		await(() -> this.first.isLeader() && task.starts.get() > 1, Duration.ofSeconds(30));
		assertThat(task.starts.get()).isEqualTo(2);
		assertThat(holder("lost")).isEqualTo("replica-a");
	}

	@Test
	void leaderShuttingDownReleasesTheLeaseForAQuickHandOver() {
		CountingTask secondTask = new CountingTask();
		this.first = new LeaseElection(operator, properties("release", true), "replica-a", List.of(new CountingTask()));
		this.second = new LeaseElection(operator, properties("release", true), "replica-b", List.of(secondTask));
		this.first.start();
		// Generous: the first request of a cold JVM on a loaded machine can take seconds.
		await(this.first::isLeader, Duration.ofSeconds(60));
		awaitFreshRenewal("release");
		this.second.start();
		await(() -> "replica-a".equals(this.second.leader()), Duration.ofSeconds(30));
		this.first.stop();
		// A replica is the leader just before its tasks start.
		await(() -> this.second.isLeader() && secondTask.starts.get() > 0, Duration.ofSeconds(30));
		assertThat(secondTask.starts.get()).isEqualTo(1);
		assertThat(holder("release")).isEqualTo("replica-b");
	}

	private static ElectionProperties properties(String lease, boolean releaseOnStop) {
		return new ElectionProperties(true, "kube-system", lease, "", 4, 3, 500, releaseOnStop);
	}

	// fabric8's elector judges expiry by the renewTime written in the Lease, and a cold
	// JVM's first write can arrive seconds after that time was taken: wait for a renewal
	// written after leadership began, as a running leader's would be.
	private static void awaitFreshRenewal(String lease) {
		ZonedDateTime leadingSince = ZonedDateTime.now(ZoneOffset.UTC);
		await(() -> client.leases()
			.inNamespace("kube-system")
			.withName(lease)
			.get()
			.getSpec()
			.getRenewTime()
			.isAfter(leadingSince), Duration.ofSeconds(30));
	}

	private static String holder(String lease) {
		Lease current = client.leases().inNamespace("kube-system").withName(lease).get();
		return current.getSpec().getHolderIdentity();
	}

	private static void await(BooleanSupplier condition, Duration timeout) {
		MockApi.await(timeout, condition);
	}

	static final class CountingTask implements LeaderTask {

		final AtomicInteger starts = new AtomicInteger();

		final AtomicInteger stops = new AtomicInteger();

		@Override
		public String name() {
			return "counting";
		}

		@Override
		public void startLeading() {
			this.starts.incrementAndGet();
		}

		@Override
		public void stopLeading() {
			this.stops.incrementAndGet();
		}

	}

}
