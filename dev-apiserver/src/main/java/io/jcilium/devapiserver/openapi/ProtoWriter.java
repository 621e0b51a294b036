package io.jcilium.devapiserver.openapi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of the protobuf wire format to write a message: varints, length-delimited
 * strings and nested messages, and bools. Nested messages are written bottom-up, each as
 * its own byte array, so no size needs computing in advance.
 */
final class ProtoWriter {

	private static final int WIRE_VARINT = 0;

	private static final int WIRE_LENGTH_DELIMITED = 2;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	ProtoWriter string(int field, String value) {
		return bytes(field, value.getBytes(StandardCharsets.UTF_8));
	}

	ProtoWriter message(int field, ProtoWriter message) {
		return bytes(field, message.toByteArray());
	}

	ProtoWriter bool(int field, boolean value) {
		tag(field, WIRE_VARINT);
		varint(value ? 1 : 0);
		return this;
	}

	byte[] toByteArray() {
		return this.out.toByteArray();
	}

	private ProtoWriter bytes(int field, byte[] value) {
		tag(field, WIRE_LENGTH_DELIMITED);
		varint(value.length);
		this.out.writeBytes(value);
		return this;
	}

	private void tag(int field, int wireType) {
		varint((field << 3) | wireType);
	}

	private void varint(long value) {
		long rest = value;
		while ((rest & ~0x7FL) != 0) {
			this.out.write((int) ((rest & 0x7F) | 0x80));
			rest >>>= 7;
		}
		this.out.write((int) rest);
	}

}
