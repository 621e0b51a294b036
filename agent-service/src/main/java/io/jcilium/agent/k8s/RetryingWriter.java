package io.jcilium.agent.k8s;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the API server off the caller's thread, one named job for all writes of the
 * cell: per key only the latest write is kept (a newer state supersedes an older one that
 * was never written), and a failed write is retried with the job's exponential backoff
 * (with jitter) until it succeeds or a newer one replaces it; a new write runs at once.
 * Callers (the endpoint lifecycle, informer handlers) never wait for the API server.
 */
public final class RetryingWriter implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RetryingWriter.class);

	private final Job job;

	// Guarded by itself: the latest unwritten write of each key, in submission order.
	private final Map<String, Runnable> pending = new LinkedHashMap<>();

	private boolean closed;

	/**
	 * A writer whose job is created in the given jobs.
	 * @param jobs where the writer's job lives (named {@code name})
	 * @param name the job's name
	 * @param minDelay the delay after a first failure
	 * @param maxDelay the longest delay between retries
	 */
	public RetryingWriter(Jobs jobs, String name, Duration minDelay, Duration maxDelay) {
		Duration max = (maxDelay.compareTo(minDelay) < 0) ? minDelay : maxDelay;
		this.job = jobs.retryUntilSuccess(name, Backoff.exponential(minDelay, max), this::writePending);
	}

	/**
	 * Queue a write, replacing any not yet written one under the same key.
	 * @param key what is written, e.g. {@code cep/ns/name}
	 * @param write the write; throwing means "retry later"
	 */
	public void submit(String key, Runnable write) {
		synchronized (this.pending) {
			if (this.closed) {
				// Shutting down: what was not written stays for the next agent's resync.
				return;
			}
			this.pending.remove(key);
			this.pending.put(key, write);
		}
		this.job.start();
		this.job.trigger();
	}

	/**
	 * How many keys have a write not yet done.
	 * @return the number of pending keys
	 */
	public int pending() {
		synchronized (this.pending) {
			return this.pending.size();
		}
	}

	private void writePending() {
		List<Map.Entry<String, Runnable>> batch = new ArrayList<>();
		synchronized (this.pending) {
			this.pending.forEach((key, write) -> batch.add(Map.entry(key, write)));
		}
		int failed = 0;
		String firstFailure = null;
		for (Map.Entry<String, Runnable> entry : batch) {
			try {
				entry.getValue().run();
				synchronized (this.pending) {
					// Only if no newer write replaced it meanwhile.
					this.pending.remove(entry.getKey(), entry.getValue());
				}
			}
			catch (RuntimeException ex) {
				failed++;
				if (firstFailure == null) {
					firstFailure = entry.getKey() + ": " + ex.getMessage();
				}
				log.warn("Writing {} failed, retrying with backoff: {}", entry.getKey(), ex.getMessage());
			}
		}
		if (failed > 0) {
			throw new IllegalStateException(failed + " of " + batch.size() + " writes failed, first " + firstFailure);
		}
	}

	@Override
	public void close() {
		synchronized (this.pending) {
			this.closed = true;
		}
		this.job.stop();
	}

}
