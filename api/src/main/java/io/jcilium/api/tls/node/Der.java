package io.jcilium.api.tls.node;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The few DER encodings (ITU-T X.690) a PKCS#10 request needs, so that writing one takes
 * no ASN.1 library: every value is written with its definite length.
 */
final class Der {

	static final int INTEGER = 0x02;

	static final int BIT_STRING = 0x03;

	static final int OCTET_STRING = 0x04;

	static final int NULL = 0x05;

	static final int OBJECT_IDENTIFIER = 0x06;

	static final int UTF8_STRING = 0x0c;

	static final int SEQUENCE = 0x30;

	static final int SET = 0x31;

	private Der() {
	}

	/**
	 * One value: its tag, its length and its content.
	 * @param tag the identifier octet
	 * @param parts the content, concatenated
	 * @return the encoding
	 */
	static byte[] value(int tag, byte[]... parts) {
		ByteArrayOutputStream content = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			content.writeBytes(part);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(tag);
		int length = content.size();
		if (length < 0x80) {
			out.write(length);
		}
		else {
			byte[] octets = BigInteger.valueOf(length).toByteArray();
			int skip = (octets[0] == 0) ? 1 : 0;
			out.write(0x80 | (octets.length - skip));
			out.write(octets, skip, octets.length - skip);
		}
		out.writeBytes(content.toByteArray());
		return out.toByteArray();
	}

	static byte[] sequence(byte[]... parts) {
		return value(SEQUENCE, parts);
	}

	static byte[] set(byte[]... parts) {
		return value(SET, parts);
	}

	static byte[] integer(long number) {
		return value(INTEGER, BigInteger.valueOf(number).toByteArray());
	}

	static byte[] utf8(String text) {
		return value(UTF8_STRING, text.getBytes(StandardCharsets.UTF_8));
	}

	static byte[] nullValue() {
		return value(NULL);
	}

	/**
	 * A BIT STRING of whole octets (no unused bits).
	 * @param bits the octets
	 * @return the encoding
	 */
	static byte[] bitString(byte[] bits) {
		return value(BIT_STRING, new byte[] { 0 }, bits);
	}

	/**
	 * An OBJECT IDENTIFIER from its dotted text: the first two arcs in one octet, then
	 * each arc in base 128, high bit set on all but its last octet.
	 * @param dotted e.g. {@code 2.5.4.3}
	 * @return the encoding
	 */
	static byte[] oid(String dotted) {
		String[] arcs = dotted.split("\\.");
		ByteArrayOutputStream content = new ByteArrayOutputStream();
		base128(content, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
		for (int i = 2; i < arcs.length; i++) {
			base128(content, Long.parseLong(arcs[i]));
		}
		return value(OBJECT_IDENTIFIER, content.toByteArray());
	}

	private static void base128(ByteArrayOutputStream out, long arc) {
		int groups = 1;
		for (long rest = arc >>> 7; rest != 0; rest >>>= 7) {
			groups++;
		}
		for (int i = groups - 1; i >= 0; i--) {
			int group = (int) ((arc >>> (7 * i)) & 0x7f);
			out.write((i == 0) ? group : (group | 0x80));
		}
	}

}
