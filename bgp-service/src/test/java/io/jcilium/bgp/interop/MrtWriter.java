package io.jcilium.bgp.interop;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;

import io.jcilium.bgp.wire.Prefix;

/**
 * Writes IPv4 routes as an MRT TABLE_DUMP_V2 file (RFC 6396 section 4.3), the bulk format
 * {@code gobgp mrt inject global} loads, so gobgpd holds the benchmark's prefixes before
 * its session comes up.
 */
final class MrtWriter {

	private static final int TABLE_DUMP_V2 = 13;

	private static final int PEER_INDEX_TABLE = 1;

	private static final int RIB_IPV4_UNICAST = 2;

	/** Peer type bit 1: the peer's AS takes four octets (RFC 6396 section 4.3.1). */
	private static final int PEER_TYPE_AS4 = 2;

	private MrtWriter() {
	}

	static void write(OutputStream target, List<Prefix> prefixes, InetAddress nextHop, long asn) throws IOException {
		DataOutputStream out = new DataOutputStream(target);
		ByteBuffer peerIndex = ByteBuffer.allocate(21);
		peerIndex.put(nextHop.getAddress()).putShort((short) 0).putShort((short) 1);
		peerIndex.put((byte) PEER_TYPE_AS4).put(nextHop.getAddress()).put(nextHop.getAddress()).putInt((int) asn);
		record(out, PEER_INDEX_TABLE, peerIndex.array());
		// ORIGIN IGP, an empty AS_PATH, NEXT_HOP
		ByteBuffer attributes = ByteBuffer.allocate(14);
		attributes.put(new byte[] { 0x40, 1, 1, 0, 0x40, 2, 0, 0x40, 3, 4 }).put(nextHop.getAddress());
		int sequence = 0;
		for (Prefix prefix : prefixes) {
			int octets = (prefix.length() + 7) / 8;
			ByteBuffer rib = ByteBuffer.allocate(4 + 1 + octets + 2 + 2 + 4 + 2 + attributes.capacity());
			rib.putInt(sequence++).put((byte) prefix.length()).put(prefix.address(), 0, octets);
			rib.putShort((short) 1).putShort((short) 0).putInt(0).putShort((short) attributes.capacity());
			rib.put(attributes.array());
			record(out, RIB_IPV4_UNICAST, rib.array());
		}
		out.flush();
	}

	private static void record(DataOutputStream out, int subtype, byte[] body) throws IOException {
		out.writeInt(0);
		out.writeShort(TABLE_DUMP_V2);
		out.writeShort(subtype);
		out.writeInt(body.length);
		out.write(body);
	}

}
