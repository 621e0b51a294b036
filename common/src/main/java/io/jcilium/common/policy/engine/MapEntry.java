package io.jcilium.common.policy.engine;

import java.util.Comparator;

import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.model.Direction;

/**
 * One policy map entry of an endpoint, in the shape of upstream's policy map key and
 * value: peer identity (0 for any), direction, protocol (0 for any), destination port
 * with a prefix length over its 16 bits (0/0 for any port; ICMP types ride in the port
 * field), and whether the entry allows or denies.
 *
 * @param peer the peer identity, 0 for any
 * @param direction ingress or egress
 * @param protocol IANA protocol number, 0 for any
 * @param port the port (or ICMP type) with masked bits zero
 * @param prefixLength matching leading bits of the port, 0 to 16
 * @param deny whether the entry denies
 */
public record MapEntry(long peer, Direction direction, int protocol, int port, int prefixLength,
		boolean deny) implements Comparable<MapEntry> {

	private static final Comparator<MapEntry> ORDER = Comparator.comparing(MapEntry::direction)
		.thenComparingLong(MapEntry::peer)
		.thenComparingInt(MapEntry::protocol)
		.thenComparingInt(MapEntry::port)
		.thenComparingInt(MapEntry::prefixLength)
		.thenComparing(MapEntry::deny);

	/**
	 * Whether the entry covers traffic with this peer, protocol and port.
	 * @param peerId the peer identity
	 * @param protocolCode the protocol number
	 * @param portOrType the destination port or ICMP type
	 * @return whether the entry applies
	 */
	public boolean matches(long peerId, int protocolCode, int portOrType) {
		if (this.peer != 0 && this.peer != peerId) {
			return false;
		}
		if (this.protocol != 0 && this.protocol != protocolCode) {
			return false;
		}
		int mask = (this.prefixLength == 0) ? 0 : (0xffff << (16 - this.prefixLength)) & 0xffff;
		return (portOrType & mask) == this.port;
	}

	@Override
	public int compareTo(MapEntry other) {
		return ORDER.compare(this, other);
	}

	@Override
	public String toString() {
		String proto = (this.protocol == 0) ? "ANY" : Protocol.fromCode(this.protocol).displayName();
		return this.direction.text() + " peer=" + this.peer + " " + proto + " " + this.port + "/" + this.prefixLength
				+ " " + (this.deny ? "deny" : "allow");
	}

}
