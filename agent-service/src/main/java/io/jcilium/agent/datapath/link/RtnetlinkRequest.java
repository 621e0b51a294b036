package io.jcilium.agent.datapath.link;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * One rtnetlink request: {@code nlmsghdr}, the family header ({@code ifinfomsg},
 * {@code ifaddrmsg}, {@code rtmsg}) and attributes, each aligned to 4 bytes as
 * {@code NLMSG_ALIGN}/{@code NLA_ALIGN} want (rtnetlink(7),
 * include/uapi/linux/netlink.h). Every request asks for an acknowledgement, so a failure
 * comes back as an errno.
 */
final class RtnetlinkRequest {

	static final short RTM_NEWLINK = 16;

	static final short RTM_DELLINK = 17;

	static final short RTM_GETLINK = 18;

	static final short RTM_NEWADDR = 20;

	static final short RTM_NEWROUTE = 24;

	static final short NLM_F_REQUEST = 0x1;

	static final short NLM_F_ACK = 0x4;

	static final short NLM_F_REPLACE = 0x100;

	/** {@code NLM_F_ROOT | NLM_F_MATCH}: every object of the kind. */
	static final short NLM_F_DUMP = 0x300;

	static final short NLM_F_EXCL = 0x200;

	static final short NLM_F_CREATE = 0x400;

	static final int IFF_UP = 0x1;

	static final short IFLA_ADDRESS = 1;

	static final short IFLA_IFNAME = 3;

	static final short IFLA_MTU = 4;

	static final short IFLA_LINKINFO = 18;

	static final short IFLA_NET_NS_FD = 28;

	static final short IFLA_INFO_KIND = 1;

	static final short IFLA_INFO_DATA = 2;

	static final short VETH_INFO_PEER = 1;

	static final short IFA_ADDRESS = 1;

	static final short IFA_LOCAL = 2;

	static final short RTA_DST = 1;

	static final short RTA_OIF = 4;

	static final short RTA_GATEWAY = 5;

	static final byte RT_TABLE_MAIN = (byte) 254;

	static final byte RTPROT_BOOT = 3;

	static final byte RT_SCOPE_UNIVERSE = 0;

	static final byte RT_SCOPE_LINK = (byte) 253;

	static final byte RTN_UNICAST = 1;

	static final int AF_INET = 2;

	static final int AF_INET6 = 10;

	private static final int HEADER_BYTES = 16;

	private final ByteBuffer buffer = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());

	private final Deque<Integer> nested = new ArrayDeque<>();

	private RtnetlinkRequest(short type, int flags) {
		this.buffer.putInt(0).putShort(type).putShort((short) (NLM_F_REQUEST | NLM_F_ACK | flags)).putInt(0).putInt(0);
	}

	/** {@code RTM_NEWLINK}/{@code RTM_DELLINK} with its {@code ifinfomsg}. */
	static RtnetlinkRequest link(short type, int flags, int ifIndex, int ifFlags, int ifChange) {
		RtnetlinkRequest request = new RtnetlinkRequest(type, flags);
		request.ifinfomsg(ifIndex, ifFlags, ifChange);
		return request;
	}

	/** {@code RTM_GETLINK} of every link in the socket's namespace. */
	static RtnetlinkRequest linkDump() {
		return link(RTM_GETLINK, NLM_F_DUMP, 0, 0, 0);
	}

	/**
	 * {@code RTM_NEWADDR} of a host address ({@code /32} or {@code /128}) on a device.
	 */
	static RtnetlinkRequest hostAddress(InetAddress address, int ifIndex) {
		RtnetlinkRequest request = new RtnetlinkRequest(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
		byte[] bytes = address.getAddress();
		request.buffer.put((byte) family(bytes))
			.put((byte) (bytes.length * 8))
			.put((byte) 0)
			.put(RT_SCOPE_UNIVERSE)
			.putInt(ifIndex);
		return request.attribute(IFA_LOCAL, bytes).attribute(IFA_ADDRESS, bytes);
	}

	/**
	 * {@code RTM_NEWROUTE} in the main table.
	 * @param destination the prefix's address
	 * @param prefixLength its length (0 for the default route, no {@code RTA_DST})
	 * @param scope {@link #RT_SCOPE_LINK} for an on-link route
	 * @param replace whether a route to the same prefix is replaced ({@code ip route
	 * replace}) or makes the request fail ({@code ip route add})
	 */
	static RtnetlinkRequest route(InetAddress destination, int prefixLength, byte scope, int ifIndex, boolean replace) {
		RtnetlinkRequest request = new RtnetlinkRequest(RTM_NEWROUTE,
				NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL));
		byte[] bytes = destination.getAddress();
		request.buffer.put((byte) family(bytes))
			.put((byte) prefixLength)
			.put((byte) 0)
			.put((byte) 0)
			.put(RT_TABLE_MAIN)
			.put(RTPROT_BOOT)
			.put(scope)
			.put(RTN_UNICAST)
			.putInt(0);
		if (prefixLength > 0) {
			request.attribute(RTA_DST, bytes);
		}
		return request.attribute(RTA_OIF, ifIndex);
	}

	/**
	 * {@code RTM_NEWROUTE} of the default route through an on-link gateway; fails when a
	 * default route exists.
	 */
	static RtnetlinkRequest defaultRoute(InetAddress gateway, int ifIndex) {
		return route(gateway, 0, RT_SCOPE_UNIVERSE, ifIndex, false).attribute(RTA_GATEWAY, gateway.getAddress());
	}

	/** The {@code ifinfomsg} of a link request or of a veth peer. */
	RtnetlinkRequest ifinfomsg(int ifIndex, int ifFlags, int ifChange) {
		this.buffer.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(ifIndex).putInt(ifFlags).putInt(ifChange);
		return this;
	}

	RtnetlinkRequest attribute(short type, byte[] value) {
		this.buffer.putShort((short) (4 + value.length)).putShort(type).put(value);
		align();
		return this;
	}

	RtnetlinkRequest attribute(short type, int value) {
		this.buffer.putShort((short) 8).putShort(type).putInt(value);
		return this;
	}

	/** A NUL-terminated string attribute (an interface name, a link kind). */
	RtnetlinkRequest attribute(short type, String value) {
		byte[] bytes = Arrays.copyOf(value.getBytes(StandardCharsets.US_ASCII), value.length() + 1);
		return attribute(type, bytes);
	}

	/** A MAC address attribute from {@code aa:bb:cc:dd:ee:ff}. */
	RtnetlinkRequest macAttribute(short type, String mac) {
		String[] parts = mac.split(":");
		byte[] bytes = new byte[parts.length];
		for (int i = 0; i < parts.length; i++) {
			bytes[i] = (byte) Integer.parseInt(parts[i], 16);
		}
		return attribute(type, bytes);
	}

	/** Opens a nested attribute; {@link #end()} closes it. */
	RtnetlinkRequest begin(short type) {
		this.nested.push(this.buffer.position());
		this.buffer.putShort((short) 0).putShort(type);
		return this;
	}

	RtnetlinkRequest end() {
		int start = this.nested.pop();
		this.buffer.putShort(start, (short) (this.buffer.position() - start));
		return this;
	}

	/** The message, with its length and sequence number set. */
	byte[] bytes(int sequence) {
		this.buffer.putInt(0, this.buffer.position()).putInt(8, sequence);
		return Arrays.copyOf(this.buffer.array(), this.buffer.position());
	}

	static int headerBytes() {
		return HEADER_BYTES;
	}

	private void align() {
		while ((this.buffer.position() & 3) != 0) {
			this.buffer.put((byte) 0);
		}
	}

	private static int family(byte[] address) {
		return (address.length == 4) ? AF_INET : AF_INET6;
	}

}
