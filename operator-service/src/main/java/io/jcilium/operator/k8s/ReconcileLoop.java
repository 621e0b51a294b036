package io.jcilium.operator.k8s;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named background job running one reconcile pass at a time: every {@link #trigger()}
 * (an informer event) coalesces into at most one pending pass, a periodic resync runs a
 * pass even without events (level-triggered: a missed event is repaired at the next
 * resync), and a failing pass is retried with exponential backoff.
 */
public final class ReconcileLoop {

	private static final Logger logger = LoggerFactory.getLogger(ReconcileLoop.class);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private final String name;

	private final Runnable pass;

	private final Duration resync;

	private final AtomicBoolean pending = new AtomicBoolean();

	private ScheduledExecutorService executor;

	private Duration backoff = Duration.ofMillis(200);

	private volatile String lastError;

	private volatile long passes;

	/**
	 * Create a loop; nothing runs until {@link #start()}.
	 * @param name the job's name (thread name and logs)
	 * @param pass one reconcile pass
	 * @param resync how often to run a pass without events
	 */
	public ReconcileLoop(String name, Runnable pass, Duration resync) {
		this.name = name;
		this.pass = pass;
		this.resync = resync;
	}

	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, this.name);
			thread.setDaemon(true);
			return thread;
		});
		this.executor.scheduleWithFixedDelay(this::trigger, 0, this.resync.toMillis(), TimeUnit.MILLISECONDS);
	}

	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * Ask for a pass soon; several triggers before it runs make one pass.
	 */
	public void trigger() {
		schedule(Duration.ZERO);
	}

	private synchronized ScheduledFuture<?> schedule(Duration delay) {
		if (this.executor == null || !this.pending.compareAndSet(false, true)) {
			return null;
		}
		return this.executor.schedule(this::runPass, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void runPass() {
		this.pending.set(false);
		try {
			this.pass.run();
			this.passes++;
			this.lastError = null;
			this.backoff = Duration.ofMillis(200);
		}
		catch (RuntimeException ex) {
			this.lastError = ex.getMessage();
			logger.warn("{}: pass failed, retrying in {} ms: {}", this.name, this.backoff.toMillis(), ex.toString());
			schedule(this.backoff);
			Duration doubled = this.backoff.multipliedBy(2);
			this.backoff = (doubled.compareTo(MAX_BACKOFF) > 0) ? MAX_BACKOFF : doubled;
		}
	}

	/**
	 * The last pass's error, for health reporting.
	 * @return the message, or {@code null} if the last pass succeeded
	 */
	public String lastError() {
		return this.lastError;
	}

	public long passes() {
		return this.passes;
	}

}
