package io.jcilium.agent.datapath;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Builds Ethernet frames for {@code BPF_PROG_TEST_RUN}: IPv4/IPv6 with TCP, UDP, SCTP,
 * ICMP or ICMPv6, checksums filled in so the frames are what a real stack would send.
 */
public final class Packets {

	public static final int TCP = 6;

	public static final int UDP = 17;

	public static final int SCTP = 132;

	public static final int ICMP = 1;

	public static final int ICMPV6 = 58;

	public static final int TCP_FIN = 0x01;

	public static final int TCP_SYN = 0x02;

	public static final int TCP_RST = 0x04;

	public static final int TCP_ACK = 0x10;

	private static final byte[] SRC_MAC = { 0x02, 0, 0, 0, 0, 0x01 };

	private static final byte[] DST_MAC = { 0x02, 0, 0, 0, 0, 0x02 };

	private Packets() {
	}

	/**
	 * A TCP segment.
	 * @param src source address
	 * @param dst destination address
	 * @param sport source port
	 * @param dport destination port
	 * @param flags TCP flags, e.g. {@link #TCP_SYN}
	 * @return the frame
	 */
	public static byte[] tcp(String src, String dst, int sport, int dport, int flags) {
		ByteBuffer l4 = ByteBuffer.allocate(20 + 8);
		l4.putShort((short) sport).putShort((short) dport).putInt(1000).putInt((flags & TCP_ACK) != 0 ? 2000 : 0);
		l4.put((byte) (5 << 4)).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
		l4.put("payload!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		return frame(src, dst, TCP, l4.array(), 16);
	}

	/**
	 * A UDP datagram.
	 * @param src source address
	 * @param dst destination address
	 * @param sport source port
	 * @param dport destination port
	 * @return the frame
	 */
	public static byte[] udp(String src, String dst, int sport, int dport) {
		ByteBuffer l4 = ByteBuffer.allocate(8 + 8);
		l4.putShort((short) sport).putShort((short) dport).putShort((short) 16).putShort((short) 0);
		l4.put("datagram".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		return frame(src, dst, UDP, l4.array(), 6);
	}

	/**
	 * An SCTP packet (common header only; policy needs the ports).
	 * @param src source address
	 * @param dst destination address
	 * @param sport source port
	 * @param dport destination port
	 * @return the frame
	 */
	public static byte[] sctp(String src, String dst, int sport, int dport) {
		ByteBuffer l4 = ByteBuffer.allocate(12);
		l4.putShort((short) sport).putShort((short) dport).putInt(42).putInt(0);
		return frame(src, dst, SCTP, l4.array(), -1);
	}

	/**
	 * An ICMP (IPv4) or ICMPv6 (IPv6) echo request or reply.
	 * @param src source address
	 * @param dst destination address
	 * @param request true for a request, false for a reply
	 * @param id echo identifier
	 * @return the frame
	 */
	public static byte[] echo(String src, String dst, boolean request, int id) {
		boolean v6 = parse(src) instanceof Inet6Address;
		int type = v6 ? (request ? 128 : 129) : (request ? 8 : 0);
		ByteBuffer l4 = ByteBuffer.allocate(16);
		l4.put((byte) type).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) 1);
		l4.putLong(0x0102030405060708L);
		return frame(src, dst, v6 ? ICMPV6 : ICMP, l4.array(), 2);
	}

	/**
	 * An ICMP/ICMPv6 error (destination/port unreachable) quoting a packet.
	 * @param src the reporting router or host
	 * @param dst the original sender
	 * @param quotedFrame the frame whose IP header and first 8 L4 bytes are quoted
	 * @return the frame
	 */
	public static byte[] unreachable(String src, String dst, byte[] quotedFrame) {
		boolean v6 = parse(src) instanceof Inet6Address;
		int ipHeader = v6 ? 40 : 20;
		int quoted = Math.min(quotedFrame.length - 14, ipHeader + 8);
		ByteBuffer l4 = ByteBuffer.allocate(8 + quoted);
		l4.put((byte) (v6 ? 1 : 3)).put((byte) (v6 ? 4 : 3)).putShort((short) 0).putInt(0);
		l4.put(quotedFrame, 14, quoted);
		return frame(src, dst, v6 ? ICMPV6 : ICMP, l4.array(), 2);
	}

	/**
	 * An ARP request frame (not IP: the programs must let it pass).
	 * @return the frame
	 */
	public static byte[] arp() {
		ByteBuffer b = ByteBuffer.allocate(14 + 28);
		b.put(new byte[] { -1, -1, -1, -1, -1, -1 }).put(SRC_MAC).putShort((short) 0x0806);
		b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
		b.put(SRC_MAC).put(new byte[] { 10, 0, 0, 1 }).put(new byte[6]).put(new byte[] { 10, 0, 0, 2 });
		return b.array();
	}

	/**
	 * An ICMPv6 message of any type (neighbour discovery, MLD, ...) with the hop limit
	 * given; 16 bytes of body after the type/code/checksum word.
	 * @param src source address
	 * @param dst destination address
	 * @param type ICMPv6 type
	 * @param hopLimit IPv6 hop limit (255 for ND, 1 for MLD as the RFCs send them)
	 * @return the frame
	 */
	public static byte[] icmp6(String src, String dst, int type, int hopLimit) {
		ByteBuffer l4 = ByteBuffer.allocate(24);
		l4.put((byte) type).put((byte) 0).putShort((short) 0).putInt(0);
		l4.put(parse(dst).getAddress());
		byte[] frame = frame(src, dst, ICMPV6, l4.array(), 2);
		frame[14 + 7] = (byte) hopLimit;
		return frame;
	}

	/**
	 * An ARP request from {@code senderMac}/{@code senderIp} for {@code targetIp}.
	 * @param senderMac sender hardware address (also the frame's source MAC)
	 * @param senderIp sender protocol address
	 * @param targetIp the address asked for
	 * @return the frame
	 */
	public static byte[] arp(byte[] senderMac, String senderIp, String targetIp) {
		ByteBuffer b = ByteBuffer.allocate(14 + 28);
		b.put(new byte[] { -1, -1, -1, -1, -1, -1 }).put(senderMac).putShort((short) 0x0806);
		b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
		b.put(senderMac).put(parse(senderIp).getAddress()).put(new byte[6]).put(parse(targetIp).getAddress());
		return b.array();
	}

	/**
	 * One fragment of an IPv4 datagram, or of an IPv6 one (with a fragment header), as a
	 * sender's stack cuts them: {@code bytes} is this fragment's part of the L4 datagram
	 * (the first one starts with the L4 header, later ones do not).
	 * @param src source address
	 * @param dst destination address
	 * @param protocol L4 protocol
	 * @param id identification shared by all fragments of the datagram
	 * @param offsetUnits offset of {@code bytes} in the datagram, in 8-byte units
	 * @param more whether more fragments follow
	 * @param bytes this fragment's bytes
	 * @return the frame
	 */
	public static byte[] fragment(String src, String dst, int protocol, int id, int offsetUnits, boolean more,
			byte[] bytes) {
		InetAddress s = parse(src);
		boolean v6 = s instanceof Inet6Address;
		ByteBuffer b = ByteBuffer.allocate(14 + (v6 ? 48 : 20) + bytes.length);
		b.put(DST_MAC).put(SRC_MAC).putShort((short) (v6 ? 0x86dd : 0x0800));
		int flags = (offsetUnits << 3) | (more ? 1 : 0);
		if (v6) {
			b.putInt(0x60000000).putShort((short) (8 + bytes.length)).put((byte) 44).put((byte) 64);
			b.put(s.getAddress()).put(parse(dst).getAddress());
			b.put((byte) protocol).put((byte) 0).putShort((short) flags).putInt(id);
		}
		else {
			int start = b.position();
			int fragOff = offsetUnits | (more ? 0x2000 : 0);
			b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + bytes.length)).putShort((short) id);
			b.putShort((short) fragOff).put((byte) 64).put((byte) protocol).putShort((short) 0);
			b.put(s.getAddress()).put(parse(dst).getAddress());
			b.putShort(start + 10, (short) fold(sum(b.array(), start, 20)));
		}
		b.put(bytes);
		return b.array();
	}

	/**
	 * The same frame with other Ethernet addresses (as a pod's own stack would address it
	 * to its gateway, or as an attacker would forge it).
	 * @param frame the frame
	 * @param dstMac destination MAC
	 * @param srcMac source MAC
	 * @return a copy with both MACs replaced
	 */
	public static byte[] withMacs(byte[] frame, byte[] dstMac, byte[] srcMac) {
		byte[] copy = frame.clone();
		System.arraycopy(dstMac, 0, copy, 0, 6);
		System.arraycopy(srcMac, 0, copy, 6, 6);
		return copy;
	}

	/**
	 * The MAC every frame built here is sent from (unless changed with
	 * {@link #withMacs}).
	 * @return a copy of the source MAC
	 */
	public static byte[] sourceMac() {
		return SRC_MAC.clone();
	}

	private static byte[] frame(String src, String dst, int protocol, byte[] l4, int checksumOffset) {
		InetAddress s = parse(src);
		InetAddress d = parse(dst);
		boolean v6 = s instanceof Inet6Address;
		if (v6 != (d instanceof Inet6Address)) {
			throw new IllegalArgumentException("mixed address families: " + src + " -> " + dst);
		}
		if (checksumOffset >= 0) {
			int sum = (v6 || protocol != ICMP) ? pseudoHeaderSum(s, d, protocol, l4.length) : 0;
			int csum = fold(sum + sum(l4, 0, l4.length));
			l4[checksumOffset] = (byte) (csum >> 8);
			l4[checksumOffset + 1] = (byte) csum;
		}
		int ipLen = v6 ? 40 : 20;
		ByteBuffer b = ByteBuffer.allocate(14 + ipLen + l4.length);
		b.put(DST_MAC).put(SRC_MAC).putShort((short) (v6 ? 0x86dd : 0x0800));
		if (v6) {
			b.putInt(0x60000000).putShort((short) l4.length).put((byte) protocol).put((byte) 64);
			b.put(s.getAddress()).put(d.getAddress());
		}
		else {
			int start = b.position();
			b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 1).putShort((short) 0);
			b.put((byte) 64).put((byte) protocol).putShort((short) 0).put(s.getAddress()).put(d.getAddress());
			int csum = fold(sum(b.array(), start, 20));
			b.putShort(start + 10, (short) csum);
		}
		b.put(l4);
		return b.array();
	}

	private static int pseudoHeaderSum(InetAddress s, InetAddress d, int protocol, int length) {
		byte[] sa = s.getAddress();
		byte[] da = d.getAddress();
		return sum(sa, 0, sa.length) + sum(da, 0, da.length) + protocol + length;
	}

	private static int sum(byte[] bytes, int offset, int length) {
		int sum = 0;
		for (int i = 0; i < length; i += 2) {
			int hi = bytes[offset + i] & 0xff;
			int lo = (i + 1 < length) ? bytes[offset + i + 1] & 0xff : 0;
			sum += (hi << 8) | lo;
		}
		return sum;
	}

	private static int fold(int sum) {
		while ((sum >>> 16) != 0) {
			sum = (sum & 0xffff) + (sum >>> 16);
		}
		return ~sum & 0xffff;
	}

	/**
	 * Parses a literal address (never a DNS lookup).
	 * @param literal e.g. "10.0.0.1" or "fd00::1"
	 * @return the address
	 */
	public static InetAddress parse(String literal) {
		if (!literal.matches("[0-9a-fA-F:.]+")) {
			throw new IllegalArgumentException("not an IP literal: " + literal);
		}
		try {
			InetAddress address = InetAddress.getByName(literal);
			if (!(address instanceof Inet4Address) && !(address instanceof Inet6Address)) {
				throw new IllegalArgumentException("not an IP literal: " + literal);
			}
			return address;
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("not an IP literal: " + literal, ex);
		}
	}

}
