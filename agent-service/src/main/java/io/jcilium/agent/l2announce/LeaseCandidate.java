package io.jcilium.agent.l2announce;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's part in one Lease election, with client-go's rules for who may write the
 * Lease and a timer instead of polling for when:
 * <ul>
 * <li>A candidate takes the Lease when nobody holds it, or when the holder's record has
 * not changed for its {@code leaseDurationSeconds}, measured on this node's clock from
 * when this candidate saw the record change (never by comparing the holder's
 * {@code renewTime} with this clock: the nodes' clocks may differ).</li>
 * <li>The attempt is scheduled for the very moment the observed record expires, and moved
 * whenever the watch shows a renewal; client-go polls every {@code retryPeriod} with
 * jitter, so its takeover comes up to a retry period after the expiry.</li>
 * <li>Every write carries the resource version read: of two candidates racing, the API
 * server refuses one (409), which then reads the winner's record and waits for it.</li>
 * <li>The holder renews every {@code retryPeriod}; when it could not renew for
 * {@code renewDeadline} it stops leading, before the Lease can expire for the others.
 * When the Lease names another holder (stolen), it stops leading at once.</li>
 * <li>Leaving gracefully releases the Lease (no holder, one second), as client-go's
 * {@code ReleaseOnCancel}.</li>
 * </ul>
 * Decisions are made on a fresh read; watch events only move the timer. Whether it leads
 * is told through {@code onChange}, called after every change of {@link #leading()}.
 */
final class LeaseCandidate {

	private static final Logger log = LoggerFactory.getLogger(LeaseCandidate.class);

	private final LeaseStore store;

	private final String name;

	private final String identity;

	private final L2AnnouncementProperties timings;

	private final ScheduledExecutorService scheduler;

	private final LongSupplier nanoTime;

	private final Runnable onChange;

	private LeaseRecord observed;

	private long observedNanos;

	private long renewedNanos;

	private boolean leading;

	private boolean stopped;

	private ScheduledFuture<?> next;

	private ScheduledFuture<?> deadline;

	/**
	 * @param store the Lease API
	 * @param name the Lease
	 * @param identity this candidate: the node name
	 * @param timings lease duration, renew deadline, retry period
	 * @param scheduler runs the attempts
	 * @param nanoTime this node's monotonic clock
	 * @param onChange called when this candidate starts or stops leading
	 */
	LeaseCandidate(LeaseStore store, String name, String identity, L2AnnouncementProperties timings,
			ScheduledExecutorService scheduler, LongSupplier nanoTime, Runnable onChange) {
		this.store = store;
		this.name = name;
		this.identity = identity;
		this.timings = timings;
		this.scheduler = scheduler;
		this.nanoTime = nanoTime;
		this.onChange = onChange;
	}

	/**
	 * Competes from now on: the first attempt runs at once.
	 */
	synchronized void start() {
		attemptIn(0);
	}

	/**
	 * @return whether this candidate holds the Lease and may act on it
	 */
	synchronized boolean leading() {
		return this.leading;
	}

	/**
	 * What the watch saw of the Lease: a change restarts the expiry countdown; a holder
	 * seeing another name in it checks at once.
	 * @param record the Lease's record, {@code null} once deleted
	 */
	void observe(LeaseRecord record) {
		synchronized (this) {
			if (this.stopped) {
				return;
			}
			if (record == null || !record.sameContent(this.observed)) {
				this.observed = record;
				this.observedNanos = this.nanoTime.getAsLong();
			}
			if (this.leading) {
				if (record == null || !record.heldBy(this.identity)) {
					attemptIn(0);
				}
				return;
			}
			attemptIn(untilExpiry(this.nanoTime.getAsLong()));
		}
	}

	/**
	 * Leaves the election; a holder releases the Lease when asked to, else the Lease runs
	 * out after its duration as if this node had died.
	 * @param release whether to release a held Lease
	 */
	void stop(boolean release) {
		boolean wasLeading;
		synchronized (this) {
			this.stopped = true;
			cancel(this.next);
			cancel(this.deadline);
			wasLeading = this.leading;
			this.leading = false;
			if (wasLeading && release && this.observed != null) {
				try {
					this.store.update(this.name, this.observed.released(Instant.now()));
					log.debug("Released Lease {}", this.name);
				}
				catch (RuntimeException ex) {
					log.warn("Releasing Lease {} failed (it runs out by itself): {}", this.name, ex.getMessage());
				}
			}
		}
		if (wasLeading) {
			this.onChange.run();
		}
	}

	private void attempt() {
		boolean before;
		boolean after;
		synchronized (this) {
			if (this.stopped) {
				return;
			}
			before = this.leading;
			tryAcquireOrRenew();
			after = this.leading;
		}
		if (before != after) {
			log.info("{} the Lease {}", after ? "Holding" : "No longer holding", this.name);
			this.onChange.run();
		}
	}

	private void tryAcquireOrRenew() {
		long now = this.nanoTime.getAsLong();
		LeaseRecord current;
		try {
			current = this.store.get(this.name);
			if (current == null) {
				won(this.store.create(this.name, LeaseRecord.created(this.identity, durationSeconds(), Instant.now())),
						now);
				return;
			}
			if (!current.sameContent(this.observed)) {
				this.observed = current;
				this.observedNanos = now;
			}
			if (current.held() && !current.heldBy(this.identity) && untilExpiry(now) > 0) {
				// another holder, valid as far as this node can tell
				this.leading = false;
				cancel(this.deadline);
				attemptIn(untilExpiry(now));
				return;
			}
			won(this.store.update(this.name, current.takenBy(this.identity, durationSeconds(), Instant.now())), now);
		}
		catch (LeaseStore.Conflict ex) {
			// another candidate wrote first: read what it wrote
			log.debug("{}", ex.getMessage());
			attemptIn(0);
		}
		catch (RuntimeException ex) {
			// the renew deadline, not this failure, decides whether a holder stops
			log.debug("Lease {}: {}", this.name, ex.getMessage());
			attemptIn(this.timings.retryPeriod().toNanos());
		}
	}

	private void won(LeaseRecord written, long startedNanos) {
		this.observed = written;
		this.observedNanos = startedNanos;
		// counted from before the write: the Lease may have been stored any time after
		this.renewedNanos = startedNanos;
		this.leading = true;
		cancel(this.deadline);
		long elapsed = this.nanoTime.getAsLong() - startedNanos;
		this.deadline = this.scheduler.schedule(this::checkDeadline,
				Math.max(0, this.timings.renewDeadline().toNanos() - elapsed), TimeUnit.NANOSECONDS);
		attemptIn(this.timings.retryPeriod().toNanos() - elapsed);
	}

	private void checkDeadline() {
		synchronized (this) {
			long late = this.nanoTime.getAsLong() - this.renewedNanos - this.timings.renewDeadline().toNanos();
			if (this.stopped || !this.leading || late < 0) {
				return;
			}
			this.leading = false;
			log.warn("Lease {} not renewed for {}: no longer acting on it", this.name, this.timings.renewDeadline());
		}
		this.onChange.run();
	}

	private long untilExpiry(long now) {
		if (this.observed == null || !this.observed.held()) {
			return 0;
		}
		return this.observedNanos + Duration.ofSeconds(this.observed.leaseDurationSeconds()).toNanos() - now;
	}

	private int durationSeconds() {
		return Math.toIntExact(this.timings.leaseDuration().toSeconds());
	}

	private void attemptIn(long nanos) {
		cancel(this.next);
		this.next = this.scheduler.schedule(this::attempt, Math.max(0, nanos), TimeUnit.NANOSECONDS);
	}

	private static void cancel(ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

}
