package io.jcilium.agent.hubble.ring;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Upstream Hubble's ring of recent events: a fixed capacity of 2^n-1 entries, one writer
 * (the datapath event reader) that never waits for anyone, and any number of readers,
 * each with its own position. A reader that falls a full ring behind finds its next
 * entries overwritten and is told how many it lost ({@link RingReader}); nothing a reader
 * does can slow the writer. Lock-free but for readers waiting at the head, who are woken
 * through a monitor only while one of them waits.
 */
public final class FlowRing {

	private final int capacity;

	private final int mask;

	private final AtomicReferenceArray<Slot> slots;

	// The position the next write takes; entries [write - capacity, write) are readable.
	private final AtomicLong write = new AtomicLong();

	private final AtomicInteger waiters = new AtomicInteger();

	private final Object head = new Object();

	/**
	 * @param capacity the number of entries kept, a power of two minus one (1, 3, 7, ...
	 * 4095, 65535)
	 * @throws IllegalArgumentException if the capacity is not of that form
	 */
	public FlowRing(int capacity) {
		validateCapacity(capacity);
		this.capacity = capacity;
		this.mask = capacity;
		this.slots = new AtomicReferenceArray<>(capacity + 1);
	}

	/**
	 * Checks a ring capacity as upstream does ({@code hubble-event-buffer-capacity}).
	 * @param capacity the capacity
	 * @throws IllegalArgumentException saying which values are allowed
	 */
	public static void validateCapacity(int capacity) {
		if (capacity < 1 || capacity == Integer.MAX_VALUE || ((capacity + 1) & capacity) != 0) {
			throw new IllegalArgumentException("ring capacity must be a power of two minus one (1, 3, 7, ..., 4095, "
					+ "65535, at most 1073741823), got " + capacity);
		}
	}

	/**
	 * Appends an event, overwriting the oldest when full; one writer at a time.
	 * @param event the event
	 */
	public void write(RingEvent event) {
		long position = this.write.get();
		this.slots.set((int) (position & this.mask), new Slot(position, event));
		this.write.set(position + 1);
		if (this.waiters.get() > 0) {
			synchronized (this.head) {
				this.head.notifyAll();
			}
		}
	}

	public int capacity() {
		return this.capacity;
	}

	/** The position the next write takes, which is also how many were ever written. */
	public long writePosition() {
		return this.write.get();
	}

	/** The oldest position still readable. */
	public long oldestPosition() {
		return Math.max(0, this.write.get() - this.capacity);
	}

	/** How many entries the ring holds now. */
	public long size() {
		return Math.min(this.write.get(), this.capacity);
	}

	/**
	 * A reader starting at a position (clamped to what is readable when it reads).
	 * @param position the first position to read
	 * @return the reader
	 */
	public RingReader readerAt(long position) {
		return new RingReader(this, position);
	}

	/**
	 * The entry at a position, if still there.
	 * @param position the position
	 * @return the event, or null if not yet written or overwritten
	 */
	RingEvent get(long position) {
		if (position < 0 || position >= this.write.get()) {
			return null;
		}
		Slot slot = this.slots.get((int) (position & this.mask));
		if (slot == null || slot.position != position) {
			return null;
		}
		// Written after the slot: if the writer has moved a full ring on since, the slot
		// may already be reused.
		return (position >= this.write.get() - this.capacity) ? slot.event : null;
	}

	/**
	 * Waits until a position is written, the timeout passes or the thread is interrupted.
	 * @param position the position waited for
	 * @param timeout how long at most
	 * @param unit its unit
	 * @return whether it is written
	 * @throws InterruptedException if interrupted
	 */
	boolean awaitWritten(long position, long timeout, TimeUnit unit) throws InterruptedException {
		if (this.write.get() > position) {
			return true;
		}
		long deadline = System.nanoTime() + unit.toNanos(timeout);
		this.waiters.incrementAndGet();
		try {
			synchronized (this.head) {
				long left = deadline - System.nanoTime();
				while (this.write.get() <= position && left > 0) {
					TimeUnit.NANOSECONDS.timedWait(this.head, left);
					left = deadline - System.nanoTime();
				}
			}
		}
		finally {
			this.waiters.decrementAndGet();
		}
		return this.write.get() > position;
	}

	private record Slot(long position, RingEvent event) {
	}

}
