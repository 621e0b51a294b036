package io.jcilium.agent.datapath.l2;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * The frames that tell a LAN an address moved to a MAC without anyone asking: a
 * gratuitous ARP request (RFC 5227 section 3: sender and target address both the
 * announced one, broadcast) and an unsolicited neighbour advertisement (RFC 4861 section
 * 7.2.6: to all-nodes, Override set, Solicited clear, with the target link-layer
 * address).
 */
final class GratuitousFrames {

	static final int ETH_P_ARP = 0x0806;

	static final int ETH_P_IPV6 = 0x86DD;

	private static final byte[] BROADCAST = { -1, -1, -1, -1, -1, -1 };

	/** ff02::1 and its Ethernet multicast address (RFC 2464 section 7). */
	private static final byte[] ALL_NODES = { (byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

	private static final byte[] ALL_NODES_MAC = { 0x33, 0x33, 0, 0, 0, 1 };

	private static final int ICMPV6 = 58;

	private static final int NEIGHBOR_ADVERTISEMENT = 136;

	private static final int OVERRIDE = 0x20000000;

	private static final int TARGET_LINK_LAYER_ADDRESS = 2;

	private GratuitousFrames() {
	}

	static int etherType(InetAddress address) {
		return (address instanceof Inet4Address) ? ETH_P_ARP : ETH_P_IPV6;
	}

	static byte[] frame(InetAddress address, byte[] mac) {
		return (address instanceof Inet4Address) ? arp(address.getAddress(), mac)
				: advertisement(address.getAddress(), mac);
	}

	static byte[] arp(byte[] ip, byte[] mac) {
		ByteBuffer frame = ByteBuffer.allocate(42);
		frame.put(BROADCAST).put(mac).putShort((short) ETH_P_ARP);
		frame.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
		frame.put(mac).put(ip).put(new byte[6]).put(ip);
		return frame.array();
	}

	static byte[] advertisement(byte[] ip, byte[] mac) {
		ByteBuffer icmp = ByteBuffer.allocate(32);
		icmp.put((byte) NEIGHBOR_ADVERTISEMENT).put((byte) 0).putShort((short) 0).putInt(OVERRIDE).put(ip);
		icmp.put((byte) TARGET_LINK_LAYER_ADDRESS).put((byte) 1).put(mac);
		icmp.putShort(2, checksum(ip, ALL_NODES, icmp.array()));
		ByteBuffer frame = ByteBuffer.allocate(14 + 40 + 32);
		frame.put(ALL_NODES_MAC).put(mac).putShort((short) ETH_P_IPV6);
		frame.putInt(0x60000000).putShort((short) 32).put((byte) ICMPV6).put((byte) 255).put(ip).put(ALL_NODES);
		frame.put(icmp.array());
		return frame.array();
	}

	/** RFC 4443 section 2.3 over the pseudo header of RFC 8200 section 8.1. */
	static short checksum(byte[] source, byte[] destination, byte[] icmp) {
		ByteBuffer pseudo = ByteBuffer.allocate(40 + icmp.length);
		pseudo.put(source).put(destination).putInt(icmp.length).putInt(ICMPV6).put(icmp);
		long sum = 0;
		byte[] all = pseudo.array();
		for (int i = 0; i < all.length; i += 2) {
			sum += ((all[i] & 0xff) << 8) | ((i + 1 < all.length) ? (all[i + 1] & 0xff) : 0);
		}
		while ((sum >> 16) != 0) {
			sum = (sum & 0xffff) + (sum >> 16);
		}
		return (short) ~sum;
	}

}
