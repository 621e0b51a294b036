package io.jcilium.operator.election;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease (fabric8's
 * {@link LeaderElector}, which follows client-go's algorithm): the replica holding the
 * Lease runs the {@link LeaderTask}s; when it stops renewing (it died, or lost the API
 * server for longer than the renew deadline) another replica takes the Lease once it has
 * expired and starts them there.
 */
public final class LeaseElection {

	private static final Logger logger = LoggerFactory.getLogger(LeaseElection.class);

	private final KubernetesClient client;

	private final ElectionProperties properties;

	private final String identity;

	private final List<LeaderTask> tasks;

	private ExecutorService executor;

	private CompletableFuture<?> running;

	private volatile boolean leading;

	private volatile String leader;

	/**
	 * Create an election; nothing happens until {@link #start()}.
	 * @param client the Kubernetes client
	 * @param properties Lease name, namespace and timings
	 * @param identity this replica's identity (e.g. the pod name)
	 * @param tasks what to run while leading
	 */
	public LeaseElection(KubernetesClient client, ElectionProperties properties, String identity,
			List<LeaderTask> tasks) {
		this.client = client;
		this.properties = properties;
		this.identity = identity;
		this.tasks = List.copyOf(tasks);
	}

	public synchronized void start() {
		if (this.running != null) {
			return;
		}
		this.executor = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "leader-election");
			thread.setDaemon(true);
			return thread;
		});
		LeaderElector elector = new LeaderElector(this.client,
				new LeaderElectionConfigBuilder().withName(this.properties.leaseName())
					.withLock(new LeaseLock(this.properties.namespace(), this.properties.leaseName(), this.identity))
					.withLeaseDuration(Duration.ofSeconds(this.properties.leaseDurationSeconds()))
					.withRenewDeadline(Duration.ofSeconds(this.properties.renewDeadlineSeconds()))
					.withRetryPeriod(Duration.ofMillis(this.properties.retryPeriodMillis()))
					.withReleaseOnCancel(this.properties.releaseOnStop())
					.withLeaderCallbacks(
							new LeaderCallbacks(this::onStartLeading, this::onStopLeading, this::onNewLeader))
					.build(),
				this.executor);
		this.running = elector.start();
		logger.info("Leader election started on Lease {}/{} as '{}'", this.properties.namespace(),
				this.properties.leaseName(), this.identity);
	}

	/**
	 * Stop taking part; a leader stops its tasks (and releases the Lease if so
	 * configured, so another replica need not wait for it to expire).
	 */
	public synchronized void stop() {
		if (this.running == null) {
			return;
		}
		this.running.cancel(true);
		this.running = null;
		if (this.leading) {
			onStopLeading();
		}
		this.executor.shutdownNow();
		this.executor = null;
	}

	public synchronized boolean isRunning() {
		return this.running != null;
	}

	public boolean isLeader() {
		return this.leading;
	}

	/**
	 * The identity currently holding the Lease, as last observed.
	 * @return the leader's identity, or {@code null} if none seen yet
	 */
	public String leader() {
		return this.leader;
	}

	public String identity() {
		return this.identity;
	}

	private void onStartLeading() {
		logger.info("'{}' is now the leader: starting {}", this.identity,
				this.tasks.stream().map(LeaderTask::name).toList());
		this.leading = true;
		for (LeaderTask task : this.tasks) {
			task.startLeading();
		}
	}

	private synchronized void onStopLeading() {
		if (!this.leading) {
			return;
		}
		logger.info("'{}' stopped leading: stopping its tasks", this.identity);
		this.leading = false;
		for (LeaderTask task : this.tasks) {
			try {
				task.stopLeading();
			}
			catch (RuntimeException ex) {
				logger.warn("Stopping {} failed: {}", task.name(), ex.toString());
			}
		}
	}

	private void onNewLeader(String newLeader) {
		this.leader = newLeader;
		logger.info("Lease {}/{} is held by '{}'", this.properties.namespace(), this.properties.leaseName(), newLeader);
	}

}
