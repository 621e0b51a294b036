package io.jcilium.agent.datapath.maps;

import java.util.ArrayList;
import java.util.List;

/**
 * One policy decision as the control plane states it: peer identity (0 = any), direction,
 * protocol (0 = any), a port range, allow or deny. {@link #keys()} turns it into the LPM
 * keys the datapath matches.
 *
 * @param identity peer identity, {@link #ANY_IDENTITY} for any
 * @param direction ingress or egress of the endpoint
 * @param protocol IP protocol number, {@link #ANY_PROTOCOL} for any
 * @param firstPort first destination port (ICMP: type << 8)
 * @param lastPort last destination port
 * @param deny true for deny
 */
public record PolicyMapEntry(int identity, TrafficDirection direction, int protocol, int firstPort, int lastPort,
		boolean deny) {

	public static final int ANY_IDENTITY = 0;

	public static final int ANY_PROTOCOL = 0;

	public static final int TCP = 6;

	public static final int UDP = 17;

	public static final int SCTP = 132;

	public static final int ICMP = 1;

	public static final int ICMPV6 = 58;

	static final int STATIC_PREFIX = 40;

	static final int PROTOCOL_PREFIX = 48;

	public PolicyMapEntry {
		if (direction == null) {
			throw new IllegalArgumentException("policy entry needs a direction");
		}
		if (protocol < 0 || protocol > 255) {
			throw new IllegalArgumentException("bad IP protocol " + protocol);
		}
		if (protocol == ANY_PROTOCOL && (firstPort != 0 || lastPort != 0xffff)) {
			throw new IllegalArgumentException("a port range needs a protocol (TCP, UDP, SCTP)");
		}
		PortRanges.split(firstPort, lastPort);
	}

	/**
	 * Everything in one direction, from/to any identity (what an endpoint without policy
	 * gets).
	 * @param direction the direction
	 * @return the entry
	 */
	public static PolicyMapEntry allowAll(TrafficDirection direction) {
		return new PolicyMapEntry(ANY_IDENTITY, direction, ANY_PROTOCOL, 0, 0xffff, false);
	}

	/**
	 * All traffic of one identity (L3-only rule).
	 * @param identity peer identity
	 * @param direction the direction
	 * @param deny true for deny
	 * @return the entry
	 */
	public static PolicyMapEntry identity(int identity, TrafficDirection direction, boolean deny) {
		return new PolicyMapEntry(identity, direction, ANY_PROTOCOL, 0, 0xffff, deny);
	}

	/**
	 * One port (or all ports with 0-65535) of a protocol.
	 * @param identity peer identity or {@link #ANY_IDENTITY}
	 * @param direction the direction
	 * @param protocol TCP, UDP or SCTP
	 * @param firstPort first port
	 * @param lastPort last port
	 * @param deny true for deny
	 * @return the entry
	 */
	public static PolicyMapEntry ports(int identity, TrafficDirection direction, int protocol, int firstPort,
			int lastPort, boolean deny) {
		return new PolicyMapEntry(identity, direction, protocol, firstPort, lastPort, deny);
	}

	/**
	 * An ICMP or ICMPv6 type (any code).
	 * @param identity peer identity or {@link #ANY_IDENTITY}
	 * @param direction the direction
	 * @param protocol ICMP or ICMPV6
	 * @param type the ICMP type
	 * @param deny true for deny
	 * @return the entry
	 */
	public static PolicyMapEntry icmp(int identity, TrafficDirection direction, int protocol, int type, boolean deny) {
		return new PolicyMapEntry(identity, direction, protocol, type << 8, (type << 8) | 0xff, deny);
	}

	/**
	 * The LPM keys this entry becomes (one per aligned port block).
	 * @return the keys
	 */
	public List<DatapathStructs.PolicyKey> keys() {
		boolean egress = this.direction == TrafficDirection.EGRESS;
		if (this.protocol == ANY_PROTOCOL) {
			return List.of(new DatapathStructs.PolicyKey(this.identity, egress, 0, 0, STATIC_PREFIX));
		}
		List<DatapathStructs.PolicyKey> keys = new ArrayList<>();
		for (PortRanges.Block block : PortRanges.split(this.firstPort, this.lastPort)) {
			keys.add(new DatapathStructs.PolicyKey(this.identity, egress, this.protocol, block.port(),
					PROTOCOL_PREFIX + block.prefixBits()));
		}
		return keys;
	}

}
