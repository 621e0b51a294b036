package io.jcilium.common.policy.model;

import io.jcilium.common.net.PortRange;
import io.jcilium.common.net.Protocol;

/**
 * One port term of a rule: a protocol with a port range, a named port, or an ICMP type.
 *
 * @param protocol the protocol; {@code ANY} with port 0 means every protocol and port
 * @param range the ports; unused for named ports and ICMP
 * @param namedPort a container port name to resolve per endpoint, or {@code null}
 * @param icmpType the ICMP or ICMPv6 type, or -1 (upstream keys ICMP policy on the type,
 * carried in the port field of the policy map)
 */
public record PortRule(Protocol protocol, PortRange range, String namedPort, int icmpType) {

	/** Every protocol and port. */
	public static final PortRule ANY = new PortRule(Protocol.ANY, PortRange.ANY, null, -1);

	/**
	 * Ports of a protocol.
	 * @param protocol TCP, UDP, SCTP or ANY
	 * @param range the ports
	 * @return the rule
	 */
	public static PortRule ports(Protocol protocol, PortRange range) {
		return new PortRule(protocol, range, null, -1);
	}

	/**
	 * A named port.
	 * @param protocol the protocol
	 * @param name the container port name
	 * @return the rule
	 */
	public static PortRule named(Protocol protocol, String name) {
		return new PortRule(protocol, PortRange.ANY, name, -1);
	}

	/**
	 * An ICMP type.
	 * @param protocol ICMP or ICMPv6
	 * @param type the type
	 * @return the rule
	 */
	public static PortRule icmp(Protocol protocol, int type) {
		return new PortRule(protocol, PortRange.ANY, null, type);
	}

	public boolean isNamed() {
		return this.namedPort != null;
	}

	public boolean isIcmp() {
		return this.icmpType >= 0;
	}

	@Override
	public String toString() {
		if (isIcmp()) {
			return this.protocol.displayName() + " type " + this.icmpType;
		}
		String port = isNamed() ? this.namedPort : this.range.toString();
		return port + "/" + this.protocol.displayName();
	}

}
