package io.jcilium.agent.datapath.l2;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import io.jcilium.agent.datapath.tc.NetworkNamespace;
import jnr.ffi.LastError;
import jnr.ffi.Runtime;

/**
 * Sends the {@link GratuitousFrames} out of a device through an {@code AF_PACKET} socket
 * opened in the device's network namespace, one socket per frame (an announcer change is
 * rare).
 */
final class GratuitousAnnouncer {

	private static final int SOCKADDR_LL_SIZE = 20;

	private final Path namespace;

	/**
	 * @param namespace the network namespace of the devices, null for the agent's own
	 */
	GratuitousAnnouncer(Path namespace) {
		this.namespace = namespace;
	}

	/**
	 * @param ifindex the device
	 * @param mac the device's MAC, now answering for the address
	 * @param address the announced address
	 */
	void announce(int ifindex, byte[] mac, InetAddress address) {
		byte[] frame = GratuitousFrames.frame(address, mac);
		int etherType = GratuitousFrames.etherType(address);
		NetworkNamespace.call(this.namespace, () -> {
			send(ifindex, etherType, frame);
			return null;
		});
	}

	private static void send(int ifindex, int etherType, byte[] frame) {
		PacketSocketLibC libc = PacketSocketLibC.load();
		// protocol 0: this socket receives nothing
		int fd = libc.socket(PacketSocketLibC.AF_PACKET, PacketSocketLibC.SOCK_RAW_CLOEXEC, 0);
		if (fd < 0) {
			throw new IllegalStateException("cannot open a packet socket: " + error(libc));
		}
		try {
			ByteBuffer address = ByteBuffer.allocate(SOCKADDR_LL_SIZE).order(ByteOrder.nativeOrder());
			address.putShort((short) PacketSocketLibC.AF_PACKET);
			address.order(ByteOrder.BIG_ENDIAN).putShort((short) etherType);
			address.order(ByteOrder.nativeOrder()).putInt(ifindex);
			address.putShort((short) 1).put((byte) 0).put((byte) 6);
			address.put(frame, 0, 6);
			long sent = libc.sendto(fd, frame, frame.length, 0, address.array(), SOCKADDR_LL_SIZE);
			if (sent != frame.length) {
				throw new IllegalStateException(
						"sending a gratuitous frame on ifindex " + ifindex + " failed: " + error(libc));
			}
		}
		finally {
			libc.close(fd);
		}
	}

	private static String error(PacketSocketLibC libc) {
		return libc.strerror(LastError.getLastError(Runtime.getRuntime(libc)));
	}

}
