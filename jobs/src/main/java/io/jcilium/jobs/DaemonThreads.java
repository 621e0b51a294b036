package io.jcilium.jobs;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads named {@code <prefix>-1}, {@code <prefix>-2}, ...: pools that serve
 * requests or run jobs must never keep a JVM alive, and thread dumps must say whose a
 * thread is.
 */
public final class DaemonThreads {

	private DaemonThreads() {
	}

	/**
	 * A factory of numbered daemon threads.
	 * @param prefix the threads' name before their number, e.g. {@code agent-api}
	 * @return the factory
	 */
	public static ThreadFactory named(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * A pool of at most {@code max} named daemon threads that refuses a task beyond the
	 * bound (never queues it behind others), for calls each holding a thread while they
	 * run; idle threads end after a minute.
	 * @param prefix the threads' name before their number
	 * @param max how many tasks may run at once
	 * @param refusal what a refused task is told, e.g.
	 * {@code "this agent serves at most 16
	 * GetFlows calls at once (jcilium.agent.hubble.max-flow-streams)"}
	 * @return the pool
	 */
	public static ThreadPoolExecutor bounded(String prefix, int max, String refusal) {
		return new ThreadPoolExecutor(0, max, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), named(prefix),
				(task, pool) -> {
					throw new RejectedExecutionException(refusal);
				});
	}

}
