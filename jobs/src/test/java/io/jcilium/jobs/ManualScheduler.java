package io.jcilium.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Scheduler} whose time moves only when the test says so; tasks run on the
 * test's thread. Also the clock the jobs stamp their outcomes with.
 */
final class ManualScheduler extends Clock implements Scheduler {

	private final List<Pending> pending = new ArrayList<>();

	private Instant now = Instant.parse("2026-01-01T00:00:00Z");

	private long sequence;

	@Override
	public synchronized Cancellable schedule(Runnable task, Duration delay) {
		Pending scheduled = new Pending(this.now.plus(delay), this.sequence++, task);
		this.pending.add(scheduled);
		return () -> remove(scheduled);
	}

	/** Moves time forward, running every task that falls due on the way, in order. */
	void advance(Duration duration) {
		Instant end = this.now.plus(duration);
		while (true) {
			Pending next = nextDue(end).orElse(null);
			if (next == null) {
				break;
			}
			next.task().run();
		}
		synchronized (this) {
			this.now = end;
		}
	}

	/** Runs what is due now. */
	void runDue() {
		advance(Duration.ZERO);
	}

	/** Delays from now of the tasks pending, soonest first. */
	synchronized List<Duration> pendingDelays() {
		return this.pending.stream()
			.sorted(Comparator.comparing(Pending::due).thenComparing(Pending::sequence))
			.map((p) -> Duration.between(this.now, p.due()))
			.toList();
	}

	private synchronized Optional<Pending> nextDue(Instant end) {
		Optional<Pending> next = this.pending.stream()
			.filter((p) -> !p.due().isAfter(end))
			.min(Comparator.comparing(Pending::due).thenComparing(Pending::sequence));
		next.ifPresent((p) -> {
			this.pending.remove(p);
			if (p.due().isAfter(this.now)) {
				this.now = p.due();
			}
		});
		return next;
	}

	private synchronized void remove(Pending scheduled) {
		this.pending.remove(scheduled);
	}

	@Override
	public synchronized Instant instant() {
		return this.now;
	}

	@Override
	public ZoneOffset getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(java.time.ZoneId zone) {
		throw new UnsupportedOperationException();
	}

	@Override
	public synchronized void close() {
		this.pending.clear();
	}

	private record Pending(Instant due, long sequence, Runnable task) {

	}

}
