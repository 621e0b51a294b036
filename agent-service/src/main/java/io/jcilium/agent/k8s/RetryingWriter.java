package io.jcilium.agent.k8s;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the API server off the caller's thread, one named job for all writes of the
 * cell: per key only the latest write is kept (a newer state supersedes an older one that
 * was never written), and a failed write is retried with exponential backoff until it
 * succeeds or a newer one replaces it. Callers (the endpoint lifecycle, informer
 * handlers) never wait for the API server.
 */
public final class RetryingWriter implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RetryingWriter.class);

	private final ScheduledExecutorService executor;

	private final long minDelayMillis;

	private final long maxDelayMillis;

	private final Map<String, Slot> slots = new HashMap<>();

	public RetryingWriter(String name, Duration minDelay, Duration maxDelay) {
		this.minDelayMillis = Math.max(1, minDelay.toMillis());
		this.maxDelayMillis = Math.max(this.minDelayMillis, maxDelay.toMillis());
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Queue a write, replacing any not yet written one under the same key.
	 * @param key what is written, e.g. {@code cep/ns/name}
	 * @param write the write; throwing means "retry later"
	 */
	public void submit(String key, Runnable write) {
		synchronized (this.slots) {
			Slot slot = this.slots.computeIfAbsent(key, (k) -> new Slot());
			slot.latest = write;
			slot.attempts = 0;
			if (!slot.scheduled) {
				slot.scheduled = true;
				try {
					this.executor.execute(() -> run(key));
				}
				catch (RejectedExecutionException ex) {
					// Shutting down: what was not written stays for the next agent's
					// resync.
					this.slots.remove(key);
				}
			}
		}
	}

	/**
	 * How many keys have a write not yet done.
	 * @return the number of pending keys
	 */
	public int pending() {
		synchronized (this.slots) {
			return this.slots.size();
		}
	}

	private void run(String key) {
		Runnable write;
		synchronized (this.slots) {
			Slot slot = this.slots.get(key);
			write = slot.latest;
			slot.latest = null;
		}
		try {
			write.run();
			synchronized (this.slots) {
				Slot slot = this.slots.get(key);
				if (slot.latest == null) {
					this.slots.remove(key);
				}
				else {
					this.executor.execute(() -> run(key));
				}
			}
		}
		catch (RuntimeException ex) {
			synchronized (this.slots) {
				Slot slot = this.slots.get(key);
				if (slot.latest == null) {
					slot.latest = write;
				}
				long delay = Math.min(this.maxDelayMillis, this.minDelayMillis << Math.min(slot.attempts, 20));
				slot.attempts++;
				log.warn("Writing {} failed (attempt {}), retrying in {} ms: {}", key, slot.attempts, delay,
						ex.getMessage());
				this.executor.schedule(() -> run(key), delay, TimeUnit.MILLISECONDS);
			}
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	private static final class Slot {

		private Runnable latest;

		private int attempts;

		private boolean scheduled;

	}

}
