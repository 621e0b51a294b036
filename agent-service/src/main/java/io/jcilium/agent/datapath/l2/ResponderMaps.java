package io.jcilium.agent.datapath.l2;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import io.jcilium.agent.datapath.maps.DatapathStructs.Field;
import io.jcilium.agent.datapath.maps.DatapathStructs.Layout;

/**
 * Keys and values of {@code bpf/lib/l2_responder.h}, in host (little-endian) order except
 * the addresses, which the program compares as they are on the wire.
 * <ul>
 * <li>{@code l2_responder_v4_key}: ip4 (4, network order), ifindex (4)</li>
 * <li>{@code l2_responder_v6_key}: ip6 (16), ifindex (4), pad (4)</li>
 * <li>{@code l2_responder_entry}: mac (6), pad (2), responses_sent (8)</li>
 * </ul>
 */
final class ResponderMaps {

	static final String V4 = "l2_responder_v4";

	static final String V6 = "l2_responder_v6";

	static final int V4_KEY_SIZE = 8;

	static final int V6_KEY_SIZE = 24;

	static final int ENTRY_SIZE = 16;

	/** Every mirrored struct, for the layout test. */
	static final List<Layout> LAYOUTS = List.of(
			new Layout("l2_responder_v4_key", V4_KEY_SIZE, List.of(new Field("ip4", 0, 4), new Field("ifindex", 4, 4))),
			new Layout("l2_responder_v6_key", V6_KEY_SIZE,
					List.of(new Field("ip6", 0, 16), new Field("ifindex", 16, 4), new Field("pad", 20, 4))),
			new Layout("l2_responder_entry", ENTRY_SIZE,
					List.of(new Field("mac", 0, 6), new Field("pad", 6, 2), new Field("responses_sent", 8, 8))));

	private ResponderMaps() {
	}

	static String map(InetAddress address) {
		return (address instanceof Inet4Address) ? V4 : V6;
	}

	static byte[] key(InetAddress address, int ifindex) {
		byte[] raw = address.getAddress();
		ByteBuffer key = ByteBuffer.allocate((raw.length == 4) ? V4_KEY_SIZE : V6_KEY_SIZE)
			.order(ByteOrder.LITTLE_ENDIAN);
		key.put(raw);
		key.putInt(ifindex);
		return key.array();
	}

	static byte[] entry(byte[] mac) {
		if (mac == null || mac.length != 6) {
			throw new IllegalArgumentException("a device MAC has 6 bytes");
		}
		return ByteBuffer.allocate(ENTRY_SIZE).put(mac).array();
	}

	static byte[] mac(byte[] entry) {
		byte[] mac = new byte[6];
		System.arraycopy(entry, 0, mac, 0, 6);
		return mac;
	}

	static long responsesSent(byte[] entry) {
		return ByteBuffer.wrap(entry).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
	}

}
