package io.jcilium.agent.datapath.events;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.LongConsumer;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datapath's per-CPU count of events a full ring buffer could not take
 * ({@code events_lost}), reported as they grow: a BPF ring buffer tells its reader
 * nothing of them. Used on the reader thread only.
 */
final class RingBufferLosses {

	/** How often, at most, the counter is read. */
	static final long CHECK_MILLIS = 100;

	private static final Logger log = LoggerFactory.getLogger(RingBufferLosses.class);

	private final BpfMap counter;

	private final LongConsumer consumer;

	private long reported;

	private long checkedAt;

	/**
	 * @param counter the per-CPU counter map, or null (nothing to report)
	 * @param consumer told how many more were lost since the last report
	 */
	RingBufferLosses(BpfMap counter, LongConsumer consumer) {
		this.counter = counter;
		this.consumer = consumer;
		// Losses before this reader (say, while no agent ran) are not this reader's to
		// report as gaps in what it read.
		this.reported = total();
	}

	long total() {
		if (this.counter == null) {
			return 0;
		}
		byte[] perCpu = this.counter.lookup(new byte[4]);
		if (perCpu == null) {
			return 0;
		}
		ByteBuffer values = ByteBuffer.wrap(perCpu).order(ByteOrder.nativeOrder());
		long sum = 0;
		for (int offset = 0; offset + 8 <= perCpu.length; offset += this.counter.perCpuStride()) {
			sum += values.getLong(offset);
		}
		return sum;
	}

	/**
	 * Reports what was lost since the last report, at most every {@value #CHECK_MILLIS}
	 * ms.
	 */
	void reportNew() {
		long now = System.nanoTime();
		if (this.counter == null || now - this.checkedAt < CHECK_MILLIS * 1_000_000L) {
			return;
		}
		this.checkedAt = now;
		long total = total();
		if (total > this.reported) {
			long lost = total - this.reported;
			this.reported = total;
			try {
				this.consumer.accept(lost);
			}
			catch (RuntimeException ex) {
				log.debug("report of {} lost datapath events failed", lost, ex);
			}
		}
	}

}
