package io.jcilium.bgp.wire;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * Prefixes in the NLRI encoding (RFC 4271 section 4.3, RFC 4760 section 5): a length
 * octet and as many address octets as the length needs.
 */
final class NlriCodec {

	private NlriCodec() {
	}

	/**
	 * Reads prefixes from the next {@code bytes} bytes of {@code in}.
	 * @throws BgpProtocolException with {@code error} when a length is out of range or a
	 * prefix runs past the field
	 */
	static List<Prefix> read(ByteBuf in, int bytes, AddressFamily family, BgpError error) throws BgpProtocolException {
		List<Prefix> prefixes = new ArrayList<>();
		int end = in.readerIndex() + bytes;
		while (in.readerIndex() < end) {
			int length = in.readUnsignedByte();
			if (length > family.addressBits()) {
				throw new BgpProtocolException(error, "prefix length " + length + " exceeds " + family.addressBits());
			}
			int octets = (length + 7) / 8;
			if (in.readerIndex() + octets > end) {
				throw new BgpProtocolException(error, "a /" + length + " prefix runs past the end of its field");
			}
			byte[] address = new byte[family.addressBytes()];
			in.readBytes(address, 0, octets);
			prefixes.add(Prefix.of(address, length));
		}
		return prefixes;
	}

	/** Bytes {@code prefix} takes on the wire. */
	static int encodedBytes(Prefix prefix) {
		return 1 + (prefix.length() + 7) / 8;
	}

	static void write(Prefix prefix, ByteBuf out) {
		out.writeByte(prefix.length());
		int octets = (prefix.length() + 7) / 8;
		for (int i = 0; i < octets; i++) {
			out.writeByte(prefix.addressByte(i));
		}
	}

}
