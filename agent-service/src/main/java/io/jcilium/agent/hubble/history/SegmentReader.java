package io.jcilium.agent.hubble.history;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.zip.CRC32;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.jcilium.agent.hubble.ring.RingEvent;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.LostEvent;

/**
 * Reads the records of one segment in order, as {@link SegmentWriter} wrote them. The end
 * of what is readable (the file's end, a record the writer has not finished or a crash
 * cut short, a CRC that does not match) ends the segment; it is never an error, as a
 * segment being written is read while it grows.
 */
final class SegmentReader implements AutoCloseable {

	// A record larger than this cannot be a flow: the length is damaged.
	private static final int MAX_PAYLOAD_BYTES = 1 << 24;

	private final DataInputStream in;

	private final byte[] fixed = new byte[17];

	private final CRC32 crc = new CRC32();

	private boolean ended;

	private SegmentReader(DataInputStream in) {
		this.in = in;
	}

	/**
	 * @param segment the segment
	 * @return its reader
	 * @throws IOException if it cannot be opened (e.g. retention removed it) or is not a
	 * segment of this format
	 */
	static SegmentReader open(Segment segment) throws IOException {
		InputStream file = Files.newInputStream(segment.path());
		DataInputStream in = new DataInputStream(new BufferedInputStream(file, 1 << 16));
		try {
			int magic = in.readInt();
			int version = in.readInt();
			if (magic != SegmentWriter.MAGIC || version != SegmentWriter.VERSION) {
				throw new IOException(segment.path().getFileName() + " is not a flow history segment of version "
						+ SegmentWriter.VERSION);
			}
		}
		catch (IOException ex) {
			in.close();
			throw ex;
		}
		return new SegmentReader(in);
	}

	/**
	 * @return the next complete record, or null at the end of what is readable
	 * @throws IOException if the file cannot be read
	 */
	Stored next() throws IOException {
		if (this.ended) {
			return null;
		}
		try {
			int length = this.in.readInt();
			int expectedCrc = this.in.readInt();
			if (length < 0 || length > MAX_PAYLOAD_BYTES) {
				return end();
			}
			this.in.readFully(this.fixed);
			byte[] payload = new byte[length];
			this.in.readFully(payload);
			this.crc.reset();
			this.crc.update(this.fixed);
			this.crc.update(payload);
			if ((int) this.crc.getValue() != expectedCrc) {
				return end();
			}
			ByteBuffer header = ByteBuffer.wrap(this.fixed);
			return new Stored(header.getLong(0), header.getLong(8), this.fixed[16], payload);
		}
		catch (EOFException ex) {
			return end();
		}
	}

	private Stored end() {
		this.ended = true;
		return null;
	}

	@Override
	public void close() throws IOException {
		this.in.close();
	}

	/**
	 * One record, its payload not yet decoded (records before a query's start are skipped
	 * without decoding).
	 *
	 * @param position the ring position in the run that wrote it
	 * @param timeNanos the event's time, epoch nanoseconds
	 * @param kind flow or lost events
	 * @param payload the encoded message
	 */
	record Stored(long position, long timeNanos, byte kind, byte[] payload) {

		RingEvent event() throws InvalidProtocolBufferException {
			if (this.kind == SegmentWriter.KIND_FLOW) {
				return RingEvent.of(Flow.parseFrom(this.payload));
			}
			LostEvent lost = LostEvent.parseFrom(this.payload);
			Timestamp time = Timestamp.newBuilder()
				.setSeconds(Math.floorDiv(this.timeNanos, 1_000_000_000L))
				.setNanos((int) Math.floorMod(this.timeNanos, 1_000_000_000L))
				.build();
			return RingEvent.lost(time, lost.getSource(), lost.getNumEventsLost());
		}

	}

}
