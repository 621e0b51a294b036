package io.jcilium.identity.allocation;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;

import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the allocator's background work as named jobs: following the store's changes,
 * checking the cache missed none, and the garbage collector (one replica at a time). A
 * failing job is retried with backoff (never later than its interval) and logs when it
 * starts and stops failing, not on every run.
 */
final class AllocationJobs implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(AllocationJobs.class);

	private final IdentityAllocator allocator;

	private final IdentityGarbageCollector collector;

	private final IdentityStore store;

	private final AllocationProperties properties;

	private final String replica = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();

	private final Jobs jobs = new Jobs("identity", 2);

	private final Job cacheSync;

	private final Job gc;

	private boolean running;

	AllocationJobs(IdentityAllocator allocator, IdentityGarbageCollector collector, IdentityStore store,
			AllocationProperties properties) {
		this.allocator = allocator;
		this.collector = collector;
		this.store = store;
		this.properties = properties;
		this.cacheSync = this.jobs.periodic("identity-cache-sync", properties.cacheSyncInterval(),
				backoffWithin(properties.cacheSyncInterval()), allocator::synchroniseCache);
		this.gc = this.jobs.periodic("identity-gc", properties.gcInterval(), backoffWithin(properties.gcInterval()),
				this::collectGarbage);
	}

	/** The jobs, for metrics and health. */
	Jobs jobs() {
		return this.jobs;
	}

	@Override
	public synchronized void start() {
		this.allocator.start();
		this.cacheSync.start();
		// A replica that just started does not collect at once: its peers' leases are as
		// fresh as they were a moment ago.
		this.gc.start(this.properties.gcInterval());
		this.running = true;
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

	@Override
	public synchronized void stop() {
		this.cacheSync.stop();
		this.gc.stop();
		this.running = false;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	/** From a second (or the interval, if shorter) up to the interval. */
	private static Backoff backoffWithin(Duration interval) {
		Duration second = Duration.ofSeconds(1);
		return Backoff.exponential((interval.compareTo(second) < 0) ? interval : second, interval);
	}

}
