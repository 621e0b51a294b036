package io.jcilium.api.hubble;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

/**
 * Writes protobuf bytes field by field, with field numbers given by the caller. The tests
 * pass upstream Cilium's numbers here, so the bytes are what an upstream (Go) peer would
 * send, independent of the classes generated from our .proto files.
 */
final class WireWriter {

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	private final CodedOutputStream out = CodedOutputStream.newInstance(this.bytes);

	/** Any varint field: integers, bools, enums. */
	WireWriter varint(int field, long value) {
		return write(() -> this.out.writeUInt64(field, value));
	}

	WireWriter bool(int field, boolean value) {
		return write(() -> this.out.writeBool(field, value));
	}

	WireWriter string(int field, String value) {
		return write(() -> this.out.writeString(field, value));
	}

	WireWriter doubleValue(int field, double value) {
		return write(() -> this.out.writeDouble(field, value));
	}

	/** An embedded message; an empty writer gives a present-but-empty message. */
	WireWriter message(int field, WireWriter nested) {
		return write(() -> this.out.writeByteArray(field, nested.toByteArray()));
	}

	/**
	 * A packed repeated varint field, as proto3 encoders emit repeated scalars and enums.
	 */
	WireWriter packed(int field, long... values) {
		WireWriter payload = new WireWriter();
		for (long value : values) {
			payload.write(() -> payload.out.writeUInt64NoTag(value));
		}
		byte[] packedBytes = payload.toByteArray();
		return write(() -> {
			this.out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
			this.out.writeUInt32NoTag(packedBytes.length);
			this.out.writeRawBytes(packedBytes);
		});
	}

	byte[] toByteArray() {
		write(this.out::flush);
		return this.bytes.toByteArray();
	}

	private WireWriter write(IoAction action) {
		try {
			action.run();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this;
	}

	@FunctionalInterface
	private interface IoAction {

		void run() throws IOException;

	}

}
