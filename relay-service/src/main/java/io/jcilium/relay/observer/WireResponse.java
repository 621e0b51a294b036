package io.jcilium.relay.observer;

import java.io.IOException;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.jcilium.api.hubble.observer.GetFlowsResponse;

/**
 * One {@code GetFlowsResponse} as it travels: the bytes an agent sent, passed on to the
 * client unchanged, and what the relay needs of them to merge and count: the time it
 * sorts by and whether it is a flow. Reading only those two fields instead of parsing the
 * whole flow and writing it out again is most of what a merged flow costs the relay.
 *
 * @param nanos the response's {@code time}, else its flow's, in nanoseconds since the
 * epoch ({@code 0} when it has neither)
 * @param flow whether it carries a flow (rather than lost events or a node status)
 * @param bytes the serialized response
 */
record WireResponse(long nanos, boolean flow, byte[] bytes) {

	// GetFlowsResponse: flow = 1, time = 1001; Flow: time = 1; Timestamp: seconds = 1,
	// nanos = 2.
	private static final int FLOW_TAG = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);

	private static final int TIME_TAG = tag(1001, WireFormat.WIRETYPE_LENGTH_DELIMITED);

	private static final int FLOW_TIME_TAG = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);

	private static final int SECONDS_TAG = tag(1, WireFormat.WIRETYPE_VARINT);

	private static final int NANOS_TAG = tag(2, WireFormat.WIRETYPE_VARINT);

	/** A response the relay makes itself (a node status). */
	static WireResponse of(GetFlowsResponse response) {
		try {
			return scan(response.toByteArray());
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException("a response the relay built does not read back", ex);
		}
	}

	/**
	 * Reads the time and kind of a serialized response.
	 * @throws InvalidProtocolBufferException when the bytes are not a
	 * {@code GetFlowsResponse}
	 */
	static WireResponse scan(byte[] bytes) throws InvalidProtocolBufferException {
		try {
			CodedInputStream in = CodedInputStream.newInstance(bytes);
			long time = Long.MIN_VALUE;
			long flowTime = Long.MIN_VALUE;
			boolean flow = false;
			for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
				if (tag == FLOW_TAG) {
					flow = true;
					int limit = in.pushLimit(in.readRawVarint32());
					flowTime = flowTime(in);
					in.popLimit(limit);
				}
				else if (tag == TIME_TAG) {
					time = timestamp(in);
				}
				else if (!in.skipField(tag)) {
					break;
				}
			}
			long nanos = (time != Long.MIN_VALUE) ? time : Math.max(flowTime, 0);
			return new WireResponse(nanos, flow, bytes);
		}
		catch (InvalidProtocolBufferException ex) {
			throw ex;
		}
		catch (IOException ex) {
			throw new InvalidProtocolBufferException(ex);
		}
	}

	/** The flow's own time, reading no further into the flow than that field. */
	private static long flowTime(CodedInputStream in) throws IOException {
		long time = Long.MIN_VALUE;
		for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
			if (tag == FLOW_TIME_TAG) {
				time = timestamp(in);
				in.skipRawBytes(in.getBytesUntilLimit());
				break;
			}
			if (!in.skipField(tag)) {
				break;
			}
		}
		return time;
	}

	private static int tag(int field, int wireType) {
		return (field << 3) | wireType;
	}

	private static long timestamp(CodedInputStream in) throws IOException {
		int limit = in.pushLimit(in.readRawVarint32());
		long seconds = 0;
		long nanos = 0;
		for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
			if (tag == SECONDS_TAG) {
				seconds = in.readInt64();
			}
			else if (tag == NANOS_TAG) {
				nanos = in.readInt32();
			}
			else if (!in.skipField(tag)) {
				break;
			}
		}
		in.popLimit(limit);
		return seconds * 1_000_000_000L + nanos;
	}

}
