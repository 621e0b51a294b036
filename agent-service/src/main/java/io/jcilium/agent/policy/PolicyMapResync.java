package io.jcilium.agent.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;

/**
 * The {@value #JOB} job: rewrites the whole policy of every endpoint whose map missed a
 * change, and fails (its last error naming the endpoints and why) while one still cannot
 * be written, so it backs off with jitter and tries again until every map is complete. A
 * failure triggers it at once; a sweep every {@link #INTERVAL} repairs a missed trigger.
 */
final class PolicyMapResync implements AutoCloseable {

	static final String JOB = "policy-map-resync";

	/** After a failed rewrite: 200 ms doubling to 30 s, with jitter. */
	static final Backoff RETRY = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(30));

	static final Duration INTERVAL = Duration.ofMinutes(5);

	private final Job job;

	private final Supplier<List<Integer>> outOfDate;

	private final IntFunction<CompletableFuture<Void>> rewrite;

	private volatile boolean closed;

	/**
	 * @param jobs where the job lives
	 * @param outOfDate the endpoints whose map missed a change
	 * @param rewrite queues rewriting an endpoint's whole policy; completes when written
	 */
	PolicyMapResync(Jobs jobs, Supplier<List<Integer>> outOfDate, IntFunction<CompletableFuture<Void>> rewrite) {
		this.outOfDate = outOfDate;
		this.rewrite = rewrite;
		this.job = jobs.periodic(JOB, INTERVAL, RETRY, this::run);
	}

	/** Asks for a run now: a map missed a change. */
	void request() {
		if (this.job.isRunning()) {
			this.job.trigger();
		}
		else if (!this.closed) {
			this.job.start();
		}
	}

	private void run() throws InterruptedException {
		List<String> stillFailing = new ArrayList<>();
		for (int endpointId : this.outOfDate.get()) {
			try {
				this.rewrite.apply(endpointId).get();
			}
			catch (ExecutionException ex) {
				stillFailing.add("endpoint " + endpointId + ": " + ex.getCause().getMessage());
			}
		}
		if (!stillFailing.isEmpty()) {
			throw new IllegalStateException("policy maps still missing changes: " + String.join("; ", stillFailing));
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.job.stop();
	}

}
