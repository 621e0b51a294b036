package io.jcilium.agent.endpoint;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs endpoint regenerations on a few named worker threads. Per endpoint, at most one
 * runs at a time and triggers arriving meanwhile coalesce into a single further run (as
 * upstream's regeneration queue): the reconciler is level-triggered, so one run sees all
 * changes. A run that asks for a retry is rescheduled with capped exponential backoff
 * with jitter (the jobs library's {@link Backoff}); a new trigger replaces a pending
 * retry with an immediate run. The workers stay an executor rather than jobs: they are a
 * pool serving per-endpoint work, not one named job each.
 */
final class RegenerationQueue implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RegenerationQueue.class);

	private final ScheduledExecutorService executor;

	private final Predicate<Endpoint> reconciler;

	private final Backoff retryBackoff;

	/**
	 * @param reconciler brings one endpoint up to date; answers whether to retry later
	 */
	RegenerationQueue(int workers, Duration initialRetry, Duration maxRetry, Predicate<Endpoint> reconciler) {
		this.executor = Executors.newScheduledThreadPool(workers, DaemonThreads.named("endpoint-regeneration"));
		this.reconciler = reconciler;
		Duration initial = (initialRetry.compareTo(Duration.ofMillis(1)) < 0) ? Duration.ofMillis(1) : initialRetry;
		this.retryBackoff = Backoff.exponential(initial, (maxRetry.compareTo(initial) < 0) ? initial : maxRetry);
	}

	/** Reconciles {@code endpoint} soon. */
	void trigger(Endpoint endpoint) {
		EndpointWork work = endpoint.work;
		synchronized (work) {
			if (work.removed || this.executor.isShutdown()) {
				return;
			}
			if (work.running) {
				work.runAgain = true;
				return;
			}
			if (work.scheduled) {
				return;
			}
			cancelRetry(work);
			work.scheduled = true;
			this.executor.execute(() -> run(endpoint));
		}
	}

	/** Drops pending work for a removed endpoint. */
	void forget(Endpoint endpoint) {
		synchronized (endpoint.work) {
			cancelRetry(endpoint.work);
		}
	}

	private void run(Endpoint endpoint) {
		EndpointWork work = endpoint.work;
		synchronized (work) {
			work.scheduled = false;
			work.running = true;
		}
		boolean retry = true;
		try {
			retry = this.reconciler.test(endpoint);
		}
		catch (RuntimeException ex) {
			logger.warn("endpoint {}: reconciling failed unexpectedly, will retry", endpoint.id(), ex);
		}
		finally {
			synchronized (work) {
				work.running = false;
				if (!work.removed && !this.executor.isShutdown()) {
					if (work.runAgain) {
						work.runAgain = false;
						work.scheduled = true;
						this.executor.execute(() -> run(endpoint));
					}
					else if (retry) {
						work.retriesInARow++;
						long delay = this.retryBackoff.delay(work.retriesInARow, ThreadLocalRandom.current()).toNanos();
						work.retry = this.executor.schedule(() -> trigger(endpoint), delay, TimeUnit.NANOSECONDS);
					}
					else {
						work.retriesInARow = 0;
					}
				}
			}
		}
	}

	private static void cancelRetry(EndpointWork work) {
		if (work.retry != null) {
			work.retry.cancel(false);
			work.retry = null;
		}
	}

	/**
	 * Stops the workers; a regeneration in progress is interrupted. Endpoints and their
	 * datapath stay as they are (a stopping agent must not disturb running pods).
	 */
	@Override
	public void close() {
		this.executor.shutdownNow();
		try {
			if (!this.executor.awaitTermination(5, TimeUnit.SECONDS)) {
				logger.warn("endpoint regeneration workers did not stop within 5 s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
