package io.jcilium.bgp.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Builds raw messages byte by byte, as a peer (or an attacker) would put them on the
 * wire.
 */
final class Messages {

	private Messages() {
	}

	/** A whole message: marker, length, type and body. */
	static byte[] message(int type, byte[] body) {
		byte[] message = new byte[19 + body.length];
		Arrays.fill(message, 0, 16, (byte) 0xFF);
		message[16] = (byte) (message.length >> 8);
		message[17] = (byte) message.length;
		message[18] = (byte) type;
		System.arraycopy(body, 0, message, 19, body.length);
		return message;
	}

	/** Concatenates byte values given as ints. */
	static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	/** An UPDATE body from its withdrawn routes, attributes and NLRI fields. */
	static byte[] update(byte[] withdrawn, byte[] attributes, byte[] nlri) {
		return message(2, concat(bytes(withdrawn.length >> 8, withdrawn.length), withdrawn,
				bytes(attributes.length >> 8, attributes.length), attributes, nlri));
	}

	/**
	 * ORIGIN IGP, AS_PATH [65001] (4-octet), NEXT_HOP 192.0.2.1: a valid IPv4 route's
	 * attributes.
	 */
	static byte[] validAttributes() {
		return concat(origin(0), asPath(65001), nextHop(192, 0, 2, 1));
	}

	static byte[] origin(int value) {
		return bytes(0x40, 1, 1, value);
	}

	static byte[] asPath(long asn) {
		return bytes(0x40, 2, 6, 2, 1, (int) (asn >> 24), (int) (asn >> 16), (int) (asn >> 8), (int) asn);
	}

	static byte[] nextHop(int a, int b, int c, int d) {
		return bytes(0x40, 3, 4, a, b, c, d);
	}

	static ByteBuf buffer(byte[] bytes) {
		return Unpooled.wrappedBuffer(bytes);
	}

	/** Checks the header, then reads the message, as the speaker does. */
	static BgpMessage read(byte[] message, SessionCodecOptions options) throws BgpProtocolException {
		ByteBuf buffer = buffer(message);
		BgpCodec.checkHeader(buffer);
		return BgpCodec.read(buffer, options);
	}

	static byte[] write(BgpMessage message, SessionCodecOptions options) {
		ByteBuf buffer = Unpooled.buffer();
		BgpCodec.write(message, options, buffer);
		byte[] bytes = new byte[buffer.readableBytes()];
		buffer.readBytes(bytes);
		return bytes;
	}

}
