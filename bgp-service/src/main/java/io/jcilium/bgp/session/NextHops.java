package io.jcilium.bgp.session;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Enumeration;

/**
 * The next hop we put on our routes to one neighbour: our own address on the session (RFC
 * 4271 section 5.1.3), and for IPv6 over an IPv4 session a global IPv6 address of the
 * same interface, as BIRD and FRR do; failing that, the IPv4-mapped address GoBGP sends.
 */
final class NextHops {

	private NextHops() {
	}

	/** The IPv4 next hop, or {@code null} when the session runs over IPv6. */
	static byte[] ipv4(InetSocketAddress local) {
		return (local.getAddress() instanceof Inet4Address) ? local.getAddress().getAddress() : null;
	}

	static byte[] ipv6(InetSocketAddress local, InetAddress configured) {
		if (configured != null) {
			return configured.getAddress();
		}
		InetAddress address = local.getAddress();
		if (address instanceof Inet6Address) {
			return address.getAddress();
		}
		Inet6Address global = globalIpv6Beside(address);
		if (global != null) {
			return global.getAddress();
		}
		byte[] mapped = new byte[16];
		mapped[10] = (byte) 0xFF;
		mapped[11] = (byte) 0xFF;
		System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
		return mapped;
	}

	private static Inet6Address globalIpv6Beside(InetAddress ipv4) {
		try {
			NetworkInterface nic = NetworkInterface.getByInetAddress(ipv4);
			if (nic == null) {
				return null;
			}
			Enumeration<InetAddress> addresses = nic.getInetAddresses();
			while (addresses.hasMoreElements()) {
				InetAddress candidate = addresses.nextElement();
				if (candidate instanceof Inet6Address v6 && !v6.isLinkLocalAddress() && !v6.isLoopbackAddress()) {
					return (Inet6Address) InetAddress.getByAddress(v6.getAddress());
				}
			}
			return null;
		}
		catch (SocketException | java.net.UnknownHostException ex) {
			return null;
		}
	}

}
