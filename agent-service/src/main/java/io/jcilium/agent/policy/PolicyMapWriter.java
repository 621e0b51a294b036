package io.jcilium.agent.policy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.jobs.Backoff;
import io.jcilium.common.policy.engine.PolicyDelta;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the endpoints' policy maps on one worker thread, in the order the policy cell
 * hands over its work, so neither the Kubernetes watchers' callback threads nor the
 * policy lock ever wait for a map write. A write that fails leaves the map with its
 * previous policy (the maps promise that); the endpoint is then brought up to date by a
 * whole-policy retry after a backoff, and skips deltas until then.
 */
final class PolicyMapWriter implements AutoCloseable {

	/** After a failed write: 200 ms doubling to 30 s, with jitter. */
	static final Backoff RETRY = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(30));

	private static final Logger logger = LoggerFactory.getLogger(PolicyMapWriter.class);

	private final ScheduledExecutorService worker;

	/** Confined to the worker thread. */
	private final Map<Integer, Target> targets = new HashMap<>();

	private final Map<Integer, Long> writes = new ConcurrentHashMap<>();

	private final LongAdder totalWrites = new LongAdder();

	private final LongAdder failures = new LongAdder();

	private final IntConsumer resync;

	private final BiConsumer<Integer, String> failed;

	/**
	 * A writer.
	 * @param registry where its metrics go
	 * @param resync asked (on the worker) to hand over an endpoint's whole policy again
	 * after a failed write
	 * @param failed told (on the worker) of an endpoint whose map missed a change, and
	 * why
	 */
	PolicyMapWriter(MeterRegistry registry, IntConsumer resync, BiConsumer<Integer, String> failed) {
		this.resync = resync;
		this.failed = failed;
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "policy-map-writer");
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		this.worker = executor;
		FunctionCounter.builder("jcilium_policy_map_writes", this.totalWrites, LongAdder::sum)
			.description("Keys written to or deleted from endpoint policy maps")
			.register(registry);
		FunctionCounter.builder("jcilium_policy_map_write_failures", this.failures, LongAdder::sum)
			.description("Policy changes that did not reach an endpoint's policy map (refused or rolled back)")
			.register(registry);
	}

	/**
	 * Queues writing an endpoint's whole policy into a map, which becomes its map.
	 * @param endpointId the endpoint
	 * @param map its map
	 * @param policy the policy
	 * @param retryOnFailure whether a failure is retried here (else the caller retries)
	 * @return completes when written, exceptionally if it failed
	 */
	CompletableFuture<Void> replace(int endpointId, EndpointPolicyMap map, EndpointPolicy policy,
			boolean retryOnFailure) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.worker.execute(() -> {
			Target target = this.targets.computeIfAbsent(endpointId, (id) -> new Target());
			target.map = map;
			try {
				count(endpointId, map.replace(policy));
				target.stale = false;
				target.failures = 0;
				done.complete(null);
			}
			catch (RuntimeException ex) {
				failed(endpointId, target, ex, retryOnFailure);
				done.completeExceptionally(ex);
			}
		});
		return done;
	}

	/**
	 * Queues one change for an endpoint's map; skipped while it has no map or waits for a
	 * whole-policy retry.
	 * @param endpointId the endpoint
	 * @param change the change
	 */
	void apply(int endpointId, PolicyDelta.EndpointChange change) {
		this.worker.execute(() -> {
			Target target = this.targets.get(endpointId);
			if (target == null || target.map == null || target.stale) {
				return;
			}
			try {
				count(endpointId, target.map.apply(change));
			}
			catch (RuntimeException ex) {
				failed(endpointId, target, ex, true);
			}
		});
	}

	/**
	 * Forgets an endpoint's map handle, returning once no write to it is under way.
	 * @param endpointId the endpoint
	 * @param forgetWrites whether its write count goes too (the endpoint is gone)
	 */
	void drop(int endpointId, boolean forgetWrites) {
		await(this.worker.submit(() -> {
			this.targets.remove(endpointId);
			if (forgetWrites) {
				this.writes.remove(endpointId);
			}
		}));
	}

	/**
	 * Runs a task after every write queued so far.
	 * @param task the task
	 */
	void afterQueued(Runnable task) {
		this.worker.execute(task);
	}

	/** Returns once every write queued so far is done (or failed). */
	void awaitQueued() {
		await(this.worker.submit(() -> {
		}));
	}

	long writes(int endpointId) {
		return this.writes.getOrDefault(endpointId, 0L);
	}

	private void count(int endpointId, int keys) {
		this.writes.merge(endpointId, (long) keys, Long::sum);
		this.totalWrites.add(keys);
	}

	private void failed(int endpointId, Target target, RuntimeException ex, boolean retry) {
		this.failures.increment();
		target.stale = true;
		target.failures++;
		if (!retry) {
			return;
		}
		long delayMillis = RETRY.delay(target.failures, ThreadLocalRandom.current()).toMillis();
		logger.warn("endpoint {}: policy map not updated ({}); retrying with its whole policy in {} ms", endpointId,
				ex.getMessage(), delayMillis);
		this.failed.accept(endpointId, "its policy map missed a change: " + ex.getMessage());
		this.worker.schedule(() -> this.resync.accept(endpointId), delayMillis, TimeUnit.MILLISECONDS);
	}

	private static void await(java.util.concurrent.Future<?> future) {
		try {
			future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the policy map writer", ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("policy map writer failed", ex.getCause());
		}
	}

	@Override
	public void close() {
		this.worker.shutdownNow();
	}

	/** An endpoint's map as the worker knows it. */
	private static final class Target {

		EndpointPolicyMap map;

		/** A write failed: deltas wait for the whole-policy retry. */
		boolean stale;

		int failures;

	}

}
