package io.jcilium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/**
 * Decodes protobuf bytes by field number only, without any schema, so the tests can check
 * which upstream field number each of our values lands on (the Hubble wire tests of api
 * and of the agent's Observer service).
 */
public final class WireFields {

	private final Map<Integer, List<Object>> values = new LinkedHashMap<>();

	private WireFields() {
	}

	public static WireFields parse(byte[] bytes) {
		return parse(ByteString.copyFrom(bytes));
	}

	public static WireFields parse(ByteString bytes) {
		WireFields fields = new WireFields();
		try {
			CodedInputStream in = bytes.newCodedInput();
			for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
				Object value = switch (WireFormat.getTagWireType(tag)) {
					case WireFormat.WIRETYPE_VARINT -> in.readUInt64();
					case WireFormat.WIRETYPE_FIXED64 -> in.readFixed64();
					case WireFormat.WIRETYPE_FIXED32 -> (long) in.readFixed32();
					case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.readBytes();
					default -> throw new IllegalArgumentException("Unexpected wire type in tag " + tag);
				};
				fields.values.computeIfAbsent(WireFormat.getTagFieldNumber(tag), (number) -> new ArrayList<>())
					.add(value);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return fields;
	}

	public boolean has(int field) {
		return this.values.containsKey(field);
	}

	public long varint(int field) {
		return (Long) single(field);
	}

	/** Repeated varints, accepting both the packed and the one-tag-per-value encoding. */
	public List<Long> varints(int field) {
		List<Long> result = new ArrayList<>();
		for (Object value : all(field)) {
			if (value instanceof ByteString packed) {
				try {
					CodedInputStream in = packed.newCodedInput();
					while (!in.isAtEnd()) {
						result.add(in.readUInt64());
					}
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
			else {
				result.add((Long) value);
			}
		}
		return result;
	}

	public double doubleValue(int field) {
		return Double.longBitsToDouble((Long) single(field));
	}

	public String string(int field) {
		return ((ByteString) single(field)).toStringUtf8();
	}

	public List<String> strings(int field) {
		return all(field).stream().map((value) -> ((ByteString) value).toStringUtf8()).toList();
	}

	public WireFields message(int field) {
		return parse((ByteString) single(field));
	}

	public List<WireFields> messages(int field) {
		return all(field).stream().map((value) -> parse((ByteString) value)).toList();
	}

	private Object single(int field) {
		List<Object> found = all(field);
		if (found.size() != 1) {
			throw new AssertionError(
					"Expected field " + field + " once, found " + found.size() + " times in " + this.values.keySet());
		}
		return found.get(0);
	}

	private List<Object> all(int field) {
		return this.values.getOrDefault(field, List.of());
	}

}
