package io.jcilium.identity.allocation;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the allocator's background work as named jobs: following the store's changes,
 * checking the cache missed none, and the garbage collector (one replica at a time). A
 * failing job logs when it starts and stops failing, not on every tick.
 */
final class AllocationJobs implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(AllocationJobs.class);

	private final IdentityAllocator allocator;

	private final IdentityGarbageCollector collector;

	private final IdentityStore store;

	private final AllocationProperties properties;

	private final String replica = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();

	private ScheduledExecutorService executor;

	AllocationJobs(IdentityAllocator allocator, IdentityGarbageCollector collector, IdentityStore store,
			AllocationProperties properties) {
		this.allocator = allocator;
		this.collector = collector;
		this.store = store;
		this.properties = properties;
	}

	@Override
	public synchronized void start() {
		this.allocator.start();
		this.executor = Executors.newScheduledThreadPool(2, (runnable) -> {
			Thread thread = new Thread(runnable, "identity-jobs");
			thread.setDaemon(true);
			return thread;
		});
		schedule(new Job("identity-cache-sync", this.allocator::synchroniseCache), Duration.ZERO,
				this.properties.cacheSyncInterval());
		schedule(new Job("identity-gc", this::collectGarbage), this.properties.gcInterval(),
				this.properties.gcInterval());
	}

	private void collectGarbage() {
		// The turn outlives a few intervals so the same replica keeps it while alive.
		if (this.store.tryAcquireGcTurn(this.replica, this.properties.gcInterval().multipliedBy(3))) {
			IdentityGarbageCollector.Pass pass = this.collector.runPass();
			if (pass.freed() > 0 || pass.referencesExpired() > 0) {
				logger.info("Identity GC: {} references of expired leases dropped, {} identities freed, {} marked",
						pass.referencesExpired(), pass.freed(), pass.marked());
			}
		}
	}

	private void schedule(Job job, Duration initialDelay, Duration interval) {
		this.executor.scheduleWithFixedDelay(job, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	private static final class Job implements Runnable {

		private final String name;

		private final Runnable work;

		private boolean failing;

		Job(String name, Runnable work) {
			this.name = name;
			this.work = work;
		}

		@Override
		public void run() {
			Thread.currentThread().setName(this.name);
			try {
				this.work.run();
				if (this.failing) {
					logger.info("{} recovered", this.name);
					this.failing = false;
				}
			}
			catch (RuntimeException ex) {
				if (!this.failing) {
					logger.warn("{} failed, retrying on every tick: {}", this.name, ex.getMessage());
					this.failing = true;
				}
			}
		}

	}

}
