package io.jcilium.agent.datapath.maps;

import java.util.List;

import io.jcilium.common.net.PortRange;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.model.Direction;

/**
 * Policy entries for tests that write an endpoint's map by hand, in the engine's own
 * shape ({@link MapEntry}: port ranges split by common's one splitter), so the keys come
 * from the datapath's one encoder, {@link PolicyKeys}.
 */
public final class PolicyEntries {

	public static final int ANY_IDENTITY = 0;

	public static final int TCP = 6;

	public static final int UDP = 17;

	public static final int SCTP = 132;

	public static final int ICMP = 1;

	public static final int ICMPV6 = 58;

	private PolicyEntries() {
	}

	/**
	 * Everything in one direction, from/to any identity.
	 * @param direction the direction
	 * @return the entries
	 */
	public static List<MapEntry> allowAll(TrafficDirection direction) {
		return identity(ANY_IDENTITY, direction, false);
	}

	/**
	 * All traffic of one identity (L3-only rule).
	 * @param identity peer identity
	 * @param direction the direction
	 * @param deny true for deny
	 * @return the entries
	 */
	public static List<MapEntry> identity(int identity, TrafficDirection direction, boolean deny) {
		return List.of(new MapEntry(identity, direction(direction), 0, 0, 0, deny));
	}

	/**
	 * A port range of a protocol.
	 * @param identity peer identity or {@link #ANY_IDENTITY}
	 * @param direction the direction
	 * @param protocol TCP, UDP or SCTP
	 * @param firstPort first port
	 * @param lastPort last port
	 * @param deny true for deny
	 * @return one entry per aligned block of the range
	 */
	public static List<MapEntry> ports(int identity, TrafficDirection direction, int protocol, int firstPort,
			int lastPort, boolean deny) {
		PortRange range = (firstPort == 0 && lastPort == 0xffff) ? PortRange.ANY
				: new PortRange(firstPort, (firstPort == lastPort) ? 0 : lastPort);
		return range.masks()
			.stream()
			.map((mask) -> new MapEntry(identity, direction(direction), protocol, mask.port(), mask.prefixLength(),
					deny))
			.toList();
	}

	/**
	 * An ICMP or ICMPv6 type (any code).
	 * @param identity peer identity or {@link #ANY_IDENTITY}
	 * @param direction the direction
	 * @param protocol ICMP or ICMPV6
	 * @param type the ICMP type
	 * @param deny true for deny
	 * @return the entries
	 */
	public static List<MapEntry> icmp(int identity, TrafficDirection direction, int protocol, int type, boolean deny) {
		return List.of(new MapEntry(identity, direction(direction), protocol, type, 16, deny));
	}

	/**
	 * The map keys of entries.
	 * @param entries the entries
	 * @return their keys
	 */
	public static List<DatapathStructs.PolicyKey> keys(List<MapEntry> entries) {
		return entries.stream().map(PolicyKeys::key).toList();
	}

	private static Direction direction(TrafficDirection direction) {
		return (direction == TrafficDirection.EGRESS) ? Direction.EGRESS : Direction.INGRESS;
	}

}
