package io.jcilium.agent.datapath.events;

import java.time.Clock;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Wall-clock time of an event from its {@code bpf_ktime_get_ns()} stamp
 * (CLOCK_MONOTONIC): the offset between the two clocks is measured again every second, so
 * a stepped wall clock (NTP) shows in flows within a second, and costs nothing per event.
 */
final class EventClock {

	private static final long RECALIBRATE_NANOS = 1_000_000_000L;

	private final LongSupplier monotonicNanos;

	private final Clock wall;

	private long offsetNanos;

	private long calibratedAt = Long.MIN_VALUE;

	EventClock(LongSupplier monotonicNanos) {
		this(monotonicNanos, Clock.systemUTC());
	}

	EventClock(LongSupplier monotonicNanos, Clock wall) {
		this.monotonicNanos = monotonicNanos;
		this.wall = wall;
	}

	/**
	 * The event's time; called on the reader thread only.
	 * @param ktimeNanos the event's monotonic stamp
	 * @return nanoseconds since the epoch
	 */
	long epochNanos(long ktimeNanos) {
		if (this.calibratedAt == Long.MIN_VALUE || ktimeNanos - this.calibratedAt > RECALIBRATE_NANOS) {
			long monotonic = this.monotonicNanos.getAsLong();
			Instant now = this.wall.instant();
			this.offsetNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano() - monotonic;
			this.calibratedAt = monotonic;
		}
		return ktimeNanos + this.offsetNanos;
	}

}
