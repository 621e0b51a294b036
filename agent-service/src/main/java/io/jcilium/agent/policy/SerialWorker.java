package io.jcilium.agent.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;

/**
 * Work run one task at a time, in the order queued, by a named loop job (its thread, run
 * count and last error are the job's). A task handles its own failures; one that throws
 * anyway fails only its own future.
 */
final class SerialWorker implements AutoCloseable {

	private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();

	private final Job job;

	private volatile boolean closed;

	/**
	 * A worker, its thread started.
	 * @param jobs where its job lives
	 * @param name the job's name
	 */
	SerialWorker(Jobs jobs, String name) {
		// The body fails only on a bug: a task's failure completes its future instead,
		// so no task waits behind another one's backoff.
		this.job = jobs.loop(name, Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5)),
				() -> this.queue.take().run());
		this.job.start();
	}

	/**
	 * Queues a task nobody waits for; dropped once closed.
	 * @param task the task
	 */
	void execute(Runnable task) {
		submit(task);
	}

	/**
	 * Queues a task.
	 * @param task the task
	 * @return completes when it ran, exceptionally if it threw or the worker stopped
	 * first
	 */
	CompletableFuture<Void> submit(Runnable task) {
		Work work = new Work(task, new CompletableFuture<>());
		this.queue.add(work);
		if (this.closed && this.queue.remove(work)) {
			work.done.completeExceptionally(stopped());
		}
		return work.done;
	}

	/**
	 * Returns once a future completed.
	 * @param future the future
	 * @throws IllegalStateException if it failed or the caller was interrupted
	 */
	static void await(CompletableFuture<?> future) {
		try {
			future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the policy map writer", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException("policy map writer failed", ex.getCause());
		}
	}

	/** Stops the job; work not run yet fails, so nobody waits for it forever. */
	@Override
	public void close() {
		this.closed = true;
		this.job.stop();
		List<Work> left = new ArrayList<>();
		this.queue.drainTo(left);
		left.forEach((work) -> work.done.completeExceptionally(stopped()));
	}

	private static IllegalStateException stopped() {
		return new IllegalStateException("the policy map writer is stopped");
	}

	/** A task and its completion. */
	private record Work(Runnable task, CompletableFuture<Void> done) {

		void run() {
			try {
				this.task.run();
				this.done.complete(null);
			}
			catch (RuntimeException ex) {
				this.done.completeExceptionally(ex);
			}
		}

	}

}
