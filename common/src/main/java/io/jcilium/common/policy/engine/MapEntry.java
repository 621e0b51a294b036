package io.jcilium.common.policy.engine;

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
	public int hashCode() {
		// Spread like a policy map key: peer and port vary most, so mix them well.
		long h = this.peer * 0x9E3779B97F4A7C15L;
		h ^= ((long) this.port << 16 | (long) this.prefixLength << 8 | this.protocol) * 0xC2B2AE3D27D4EB4FL;
		h ^= (this.direction.ordinal() << 1) | (this.deny ? 1 : 0);
		return (int) (h ^ (h >>> 32));
	}

	@Override
	public boolean equals(Object obj) {
		return (obj instanceof MapEntry other) && this.peer == other.peer && this.port == other.port
				&& this.protocol == other.protocol && this.prefixLength == other.prefixLength
				&& this.direction == other.direction && this.deny == other.deny;
	}

	@Override
	public int compareTo(MapEntry other) {
		// Hand-written: entries are sorted by the hundred thousand in a full computation.
		int c = this.direction.compareTo(other.direction);
		if (c == 0) {
			c = Long.compare(this.peer, other.peer);
		}
		if (c == 0) {
			c = Integer.compare(this.protocol, other.protocol);
		}
		if (c == 0) {
			c = Integer.compare(this.port, other.port);
		}
		if (c == 0) {
			c = Integer.compare(this.prefixLength, other.prefixLength);
		}
		return (c != 0) ? c : Boolean.compare(this.deny, other.deny);
	}

	@Override
	public String toString() {
		String proto = (this.protocol == 0) ? "ANY" : Protocol.fromCode(this.protocol).displayName();
		return this.direction.text() + " peer=" + this.peer + " " + proto + " " + this.port + "/" + this.prefixLength
				+ " " + (this.deny ? "deny" : "allow");
	}

}
