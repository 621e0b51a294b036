package io.jcilium.agent.service.lb;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

import io.jcilium.common.net.IpAddress;
import io.jcilium.common.net.Protocol;

/**
 * An address, port and transport protocol: a frontend a client connects to, or a backend
 * it is sent to.
 *
 * @param address IPv4 or IPv6
 * @param port 1..65535
 * @param protocol TCP, UDP or SCTP
 */
public record L4Address(InetAddress address, int port, Protocol protocol) {

	public L4Address {
		Objects.requireNonNull(address, "address");
		Objects.requireNonNull(protocol, "protocol");
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("port must be 1..65535, got " + port);
		}
	}

	/**
	 * Parses a literal address (never a host name).
	 * @param address e.g. {@code 10.96.0.10} or {@code fd00::a}
	 * @param port the port
	 * @param protocol the protocol
	 * @return the address
	 */
	public static L4Address of(String address, int port, Protocol protocol) {
		return new L4Address(IpAddress.parseLiteral(address), port, protocol);
	}

	public boolean isIpv4() {
		return this.address instanceof Inet4Address;
	}

	@Override
	public String toString() {
		String host = IpAddress.format(this.address);
		return (isIpv4() ? host : "[" + host + "]") + ":" + this.port + "/" + this.protocol.displayName();
	}

}
