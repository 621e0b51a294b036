package io.jcilium.operator.election;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

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
 * expired and starts them there. A leader that loses the Lease while running (it could
 * not renew in time) stops its tasks and takes part again.
 */
public final class LeaseElection {

	private static final Logger logger = LoggerFactory.getLogger(LeaseElection.class);

	private final KubernetesClient client;

	private final ElectionProperties properties;

	private final String identity;

	private final List<LeaderTask> tasks;

	private ExecutorService executor;

	private CompletableFuture<?> running;

	// Guarded by this: between start() and stop(), the replica takes part in the
	// election, also after losing the Lease.
	private boolean wanted;

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
		if (this.wanted) {
			return;
		}
		this.wanted = true;
		this.executor = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "leader-election");
			thread.setDaemon(true);
			return thread;
		});
		campaign();
		logger.info("Leader election started on Lease {}/{} as '{}'", this.properties.namespace(),
				this.properties.leaseName(), this.identity);
	}

	/** One run of fabric8's elector: until it loses the Lease or is stopped. */
	private synchronized void campaign() {
		if (!this.wanted) {
			return;
		}
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
		CompletableFuture<?> run = elector.start();
		this.running = run;
		run.whenComplete((ignored, failure) -> electorEnded(run));
	}

	/**
	 * fabric8's elector ends when the leader could not renew the Lease within the renew
	 * deadline (an API server too slow or away). Upstream's operator exits then and its
	 * Deployment restarts it; this replica instead stops its tasks and takes part again,
	 * so it never stays running without ever leading again.
	 */
	private void electorEnded(CompletableFuture<?> run) {
		synchronized (this) {
			if (!this.wanted || this.running != run) {
				return;
			}
		}
		onStopLeading();
		logger.warn(
				"'{}' is out of the election on Lease {}/{} (the Lease was not renewed within {} s): "
						+ "taking part again",
				this.identity, this.properties.namespace(), this.properties.leaseName(),
				this.properties.renewDeadlineSeconds());
		try {
			CompletableFuture.runAsync(this::campaign, CompletableFuture
				.delayedExecutor(this.properties.retryPeriodMillis(), TimeUnit.MILLISECONDS, this.executor));
		}
		catch (RejectedExecutionException ex) {
			// stopped meanwhile
		}
	}

	/**
	 * Stop taking part; a leader stops its tasks (and releases the Lease if so
	 * configured, so another replica need not wait for it to expire).
	 */
	public synchronized void stop() {
		if (!this.wanted) {
			return;
		}
		this.wanted = false;
		CompletableFuture<?> run = this.running;
		this.running = null;
		if (run != null) {
			run.cancel(true);
		}
		if (this.leading) {
			onStopLeading();
		}
		this.executor.shutdownNow();
		this.executor = null;
	}

	public synchronized boolean isRunning() {
		return this.wanted;
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
