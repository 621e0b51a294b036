package io.jcilium.agent.hubble.history;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

import io.jcilium.agent.hubble.ring.RingEvent;

/**
 * Appends records to a new segment file. The file starts with a magic number and a
 * version; each record is its payload's length, a CRC-32 of the rest, the ring position,
 * the event's time in epoch nanoseconds, its kind (flow or lost events) and the
 * protobuf-encoded {@code flow.Flow} or {@code flow.LostEvent}. A record cut short by a
 * crash fails its length or CRC and ends the segment for readers. Not thread-safe: the
 * history writer's thread only.
 */
final class SegmentWriter implements AutoCloseable {

	static final int MAGIC = 0x4A434846;

	static final int VERSION = 1;

	static final int FILE_HEADER_BYTES = 8;

	/** Length, CRC, position, time, kind. */
	static final int RECORD_HEADER_BYTES = 25;

	static final byte KIND_FLOW = 1;

	static final byte KIND_LOST = 2;

	private final Segment segment;

	private final FileOutputStream file;

	private final DataOutputStream out;

	private final CRC32 crc = new CRC32();

	private final byte[] fixed = new byte[17];

	private long sizeBytes;

	SegmentWriter(Segment segment) throws IOException {
		this.segment = segment;
		this.file = new FileOutputStream(segment.path().toFile());
		this.out = new DataOutputStream(new BufferedOutputStream(this.file, 1 << 16));
		this.out.writeInt(MAGIC);
		this.out.writeInt(VERSION);
		this.sizeBytes = FILE_HEADER_BYTES;
	}

	Segment segment() {
		return this.segment;
	}

	/**
	 * Appends one event.
	 * @param position its ring position (for lost events the reader itself reports, the
	 * last position they stand for)
	 * @param event the event
	 * @throws IOException when the file cannot be written
	 */
	void append(long position, RingEvent event) throws IOException {
		byte kind = event.isFlow() ? KIND_FLOW : KIND_LOST;
		byte[] payload = event.isFlow() ? event.flow().toByteArray() : event.lost().toByteArray();
		long timeNanos = event.time().getSeconds() * 1_000_000_000L + event.time().getNanos();
		putLong(this.fixed, 0, position);
		putLong(this.fixed, 8, timeNanos);
		this.fixed[16] = kind;
		this.crc.reset();
		this.crc.update(this.fixed);
		this.crc.update(payload);
		this.out.writeInt(payload.length);
		this.out.writeInt((int) this.crc.getValue());
		this.out.write(this.fixed);
		this.out.write(payload);
		this.sizeBytes += RECORD_HEADER_BYTES + payload.length;
	}

	/**
	 * Hands what is buffered to the operating system, so readers and a restart see it.
	 */
	void flush() throws IOException {
		this.out.flush();
	}

	/** Bytes written, buffered ones included. */
	long sizeBytes() {
		return this.sizeBytes;
	}

	/** Flushes, syncs to the device and closes. */
	@Override
	public void close() throws IOException {
		try (FileChannel channel = this.file.getChannel()) {
			this.out.flush();
			channel.force(false);
		}
		finally {
			this.out.close();
		}
	}

	private static void putLong(byte[] bytes, int offset, long value) {
		for (int i = 7; i >= 0; i--) {
			bytes[offset + i] = (byte) value;
			value >>>= 8;
		}
	}

}
