package io.jcilium.agent.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.PolicyDelta;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the endpoints' policy maps in the order the policy cell hands over its work, on
 * the {@value #WRITER_JOB} job's thread, so neither the Kubernetes watchers' callback
 * threads nor the policy lock ever wait for a map write. A write that fails leaves the
 * map with its previous policy (the maps promise that); the endpoint then skips deltas
 * and is brought up to date by the {@value PolicyMapResync#JOB} job, which rewrites its
 * whole policy and backs off (with jitter) while that fails. Tracks which policy revision
 * each map holds.
 */
final class PolicyMapWriter implements AutoCloseable {

	static final String WRITER_JOB = "policy-map-writer";

	private static final Logger logger = LoggerFactory.getLogger(PolicyMapWriter.class);

	private final SerialWorker worker;

	private final PolicyMapResync resync;

	/** Confined to the writer's thread. */
	private final Map<Integer, Target> targets = new HashMap<>();

	/** Confined to the writer's thread. */
	private final PolicyRevisions revisions = new PolicyRevisions();

	private final Map<Integer, Long> writes = new ConcurrentHashMap<>();

	private final LongAdder totalWrites = new LongAdder();

	private final LongAdder failures = new LongAdder();

	private final AtomicInteger outOfDate = new AtomicInteger();

	/** Changed only under the policy lock; read by anyone. */
	private volatile long revision = 1;

	private final BiConsumer<Integer, String> failed;

	/**
	 * A writer, its thread started.
	 * @param jobs where its jobs live
	 * @param registry where its metrics go
	 * @param resync asked to queue an endpoint's whole policy again (with
	 * {@link #replace}) after a failed write; completes when written
	 * @param failed told (on the writer) of an endpoint whose map missed a change, and
	 * why
	 */
	PolicyMapWriter(Jobs jobs, MeterRegistry registry, IntFunction<CompletableFuture<Void>> resync,
			BiConsumer<Integer, String> failed) {
		this.failed = failed;
		this.worker = new SerialWorker(jobs, WRITER_JOB);
		this.resync = new PolicyMapResync(jobs, this::outOfDateEndpoints, resync);
		FunctionCounter.builder("jcilium_policy_map_writes", this.totalWrites, LongAdder::sum)
			.description("Keys written to or deleted from endpoint policy maps")
			.register(registry);
		FunctionCounter.builder("jcilium_policy_map_write_failures", this.failures, LongAdder::sum)
			.description("Policy changes that did not reach an endpoint's policy map (refused or rolled back)")
			.register(registry);
		Gauge.builder("jcilium_policy_maps_out_of_date", this.outOfDate, AtomicInteger::get)
			.description("Endpoint policy maps that missed a change and wait for a rewrite of their whole policy")
			.register(registry);
	}

	/**
	 * Queues writing an endpoint's whole policy into a map, which becomes its map.
	 * @param endpointId the endpoint
	 * @param map its map
	 * @param policy the policy, computed after every change handed over so far
	 * @return completes when written, exceptionally if it failed
	 */
	CompletableFuture<Void> replace(int endpointId, EndpointPolicyMap map, EndpointPolicy policy) {
		long revision = this.revision;
		return this.worker.submit(() -> {
			Target target = this.targets.computeIfAbsent(endpointId, (id) -> new Target());
			target.map = map;
			try {
				count(endpointId, map.replace(policy));
			}
			catch (RuntimeException ex) {
				markOutOfDate(endpointId, target);
				throw ex;
			}
			if (target.outOfDate) {
				target.outOfDate = false;
				this.outOfDate.decrementAndGet();
			}
			this.revisions.reached(endpointId, revision);
		});
	}

	/**
	 * Queues one change for an endpoint's map; skipped while it has no map or is out of
	 * date (its rewrite brings the change).
	 * @param endpointId the endpoint
	 * @param change the change
	 */
	void apply(int endpointId, PolicyDelta.EndpointChange change) {
		this.worker.execute(() -> {
			Target target = this.targets.get(endpointId);
			if (target == null || target.map == null || target.outOfDate) {
				return;
			}
			try {
				count(endpointId, target.map.apply(change));
			}
			catch (RuntimeException ex) {
				markOutOfDate(endpointId, target);
				logger.warn("endpoint {}: policy map missed a change ({}); its whole policy is written again",
						endpointId, ex.getMessage());
				this.failed.accept(endpointId, "its policy map missed a change: " + ex.getMessage());
				this.resync.request();
			}
		});
	}

	/**
	 * Called under the policy lock after handing over changes: they make a new revision,
	 * which every map not out of date holds once they are written.
	 */
	void handedOver() {
		long revision = ++this.revision;
		this.worker.execute(() -> this.targets.forEach((id, target) -> {
			if (!target.outOfDate) {
				this.revisions.reached(id, revision);
			}
		}));
	}

	/**
	 * Completes once every endpoint's map holds a revision (or a later one); maps out of
	 * date hold it once rewritten.
	 * @param revision the revision
	 * @return completes with the revision
	 */
	CompletableFuture<Long> whenRealized(long revision) {
		CompletableFuture<Long> done = new CompletableFuture<>();
		this.worker.submit(() -> this.revisions.await(revision, done)).whenComplete((ignored, ex) -> {
			if (ex != null) {
				done.completeExceptionally(ex);
			}
		});
		return done;
	}

	long revision() {
		return this.revision;
	}

	/**
	 * Forgets an endpoint's map handle, returning once no write to it is under way.
	 * @param endpointId the endpoint
	 * @param forgetWrites whether its write count goes too (the endpoint is gone)
	 */
	void drop(int endpointId, boolean forgetWrites) {
		SerialWorker.await(this.worker.submit(() -> {
			Target target = this.targets.remove(endpointId);
			if (target != null && target.outOfDate) {
				this.outOfDate.decrementAndGet();
			}
			this.revisions.forget(endpointId);
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
		SerialWorker.await(this.worker.submit(() -> {
		}));
	}

	long writes(int endpointId) {
		return this.writes.getOrDefault(endpointId, 0L);
	}

	private List<Integer> outOfDateEndpoints() {
		CompletableFuture<List<Integer>> endpoints = new CompletableFuture<>();
		SerialWorker.await(this.worker.submit(() -> endpoints.complete(this.targets.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().outOfDate)
			.map(Map.Entry::getKey)
			.toList())));
		return endpoints.join();
	}

	private void markOutOfDate(int endpointId, Target target) {
		this.failures.increment();
		if (!target.outOfDate) {
			target.outOfDate = true;
			this.outOfDate.incrementAndGet();
		}
		// A map that never held a revision is waited for too, until written or dropped.
		this.revisions.reached(endpointId, 0);
	}

	private void count(int endpointId, int keys) {
		this.writes.merge(endpointId, (long) keys, Long::sum);
		this.totalWrites.add(keys);
	}

	@Override
	public void close() {
		this.resync.close();
		this.worker.close();
		// The writer's thread is gone: nobody waits forever for a revision.
		this.revisions.abandon(new IllegalStateException("the policy map writer is stopped"));
	}

	/** An endpoint's map as the writer knows it. */
	private static final class Target {

		EndpointPolicyMap map;

		/** A write failed: deltas wait for the rewrite of its whole policy. */
		boolean outOfDate;

	}

}
