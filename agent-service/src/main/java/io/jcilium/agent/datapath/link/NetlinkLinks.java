package io.jcilium.agent.datapath.link;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The links of the calling thread's network namespace, read over rtnetlink
 * ({@code RTM_GETLINK} dump). A netlink socket belongs to the namespace of the thread
 * that opens it, so this is right in a thread that joined another namespace, where
 * {@link java.net.NetworkInterface} is not: the JDK reads IPv6 devices from
 * {@code /proc/net/if_inet6}, and {@code /proc/net} shows the namespace of the process's
 * main thread, so it mixes the host's devices into the joined namespace's and fails on
 * those that do not exist there.
 */
public final class NetlinkLinks {

	private static final int IFF_UP = 0x1;

	private static final int IFF_LOOPBACK = 0x8;

	/** {@code nlmsghdr} then {@code ifinfomsg}, 16 bytes each. */
	private static final int ATTRIBUTES_OFFSET = 32;

	/**
	 * The type bits of an attribute's type (without NLA_F_NESTED, NLA_F_NET_BYTEORDER).
	 */
	private static final int NLA_TYPE_MASK = 0x3fff;

	private NetlinkLinks() {
	}

	/**
	 * One link.
	 *
	 * @param ifindex its index
	 * @param name its name
	 * @param flags its {@code IFF_*} flags
	 * @param mac its hardware address, empty when it has none
	 */
	public record Link(int ifindex, String name, int flags, byte[] mac) {

		/** Administratively up ({@code IFF_UP}). */
		public boolean up() {
			return (this.flags & IFF_UP) != 0;
		}

		public boolean loopback() {
			return (this.flags & IFF_LOOPBACK) != 0;
		}

		/** Whether it has an Ethernet (6-byte) address. */
		public boolean ethernet() {
			return this.mac.length == 6;
		}

	}

	/**
	 * Lists the links of the calling thread's namespace.
	 * @param timeout how long the kernel may take to answer
	 * @return every link, in the kernel's order (by index)
	 * @throws io.jcilium.agent.link.LinkException when netlink fails, with the errno
	 */
	public static List<Link> list(Duration timeout) {
		List<Link> links = new ArrayList<>();
		try (RtnetlinkSocket socket = RtnetlinkSocket.open(timeout)) {
			socket.dump(RtnetlinkRequest.linkDump(), "listing links", (message) -> {
				if (message.getShort(4) == RtnetlinkRequest.RTM_NEWLINK) {
					links.add(parse(message));
				}
			});
		}
		return links;
	}

	static Link parse(ByteBuffer message) {
		int ifindex = message.getInt(20);
		int flags = message.getInt(24);
		String name = "";
		byte[] mac = new byte[0];
		int at = ATTRIBUTES_OFFSET;
		while (at + 4 <= message.limit()) {
			int length = Short.toUnsignedInt(message.getShort(at));
			int type = message.getShort(at + 2) & NLA_TYPE_MASK;
			if (length < 4 || at + length > message.limit()) {
				break;
			}
			byte[] value = new byte[length - 4];
			message.get(at + 4, value);
			if (type == RtnetlinkRequest.IFLA_IFNAME) {
				int end = 0;
				while (end < value.length && value[end] != 0) {
					end++;
				}
				name = new String(value, 0, end, StandardCharsets.US_ASCII);
			}
			else if (type == RtnetlinkRequest.IFLA_ADDRESS) {
				mac = value;
			}
			at += (length + 3) & ~3;
		}
		return new Link(ifindex, name, flags, mac);
	}

}
