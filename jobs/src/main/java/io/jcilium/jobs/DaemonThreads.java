package io.jcilium.jobs;

import java.util.concurrent.ThreadFactory;
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

}
