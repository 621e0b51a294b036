package io.jcilium.jobs;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link Scheduler}: a small pool of daemon threads named after their owner (a
 * forgotten job must not keep a JVM alive). While a job runs, its thread carries the
 * job's name, so thread dumps and logs say which job it is.
 */
public final class ExecutorScheduler implements Scheduler {

	private final ScheduledThreadPoolExecutor executor;

	/**
	 * A scheduler with its own threads.
	 * @param owner names the threads, e.g. {@code identity-client}
	 * @param threads how many jobs may run at the same time
	 */
	public ExecutorScheduler(String owner, int threads) {
		this.executor = new ScheduledThreadPoolExecutor(threads, DaemonThreads.named(owner + "-jobs"));
		this.executor.setRemoveOnCancelPolicy(true);
		// Stopped jobs (a controller that lost leadership) hold no thread; the last one
		// stays while any run is scheduled.
		this.executor.setKeepAliveTime(1, TimeUnit.MINUTES);
		this.executor.allowCoreThreadTimeOut(true);
	}

	@Override
	public Cancellable schedule(Runnable task, Duration delay) {
		if (this.executor.isShutdown()) {
			return () -> {
			};
		}
		ScheduledFuture<?> future = this.executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
		return () -> future.cancel(false);
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
