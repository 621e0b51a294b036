package io.jcilium.agent.datapath.events;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.common.datapath.DropReason;

/**
 * One decoded ring-buffer event, with the packet's addresses and ports read from the
 * captured bytes (what a Hubble flow needs).
 *
 * @param type drop, trace or policy verdict
 * @param dropReason the drop reason (drops and denied verdicts), null otherwise
 * @param header the raw common header
 * @param source source address from the captured packet, null if not IP
 * @param destination destination address, null if not IP
 * @param sourcePort source port (0 if none)
 * @param destinationPort destination port (0 if none)
 * @param tcpFlags the TCP header's flags ({@code FIN} bit 0 to {@code CWR} bit 7,
 * {@code NS} bit 8), 0 if not TCP
 * @param icmpType ICMP or ICMPv6 type, -1 if not ICMP
 * @param icmpCode ICMP or ICMPv6 code, -1 if not ICMP
 */
public record DatapathEvent(EventType type, DropReason dropReason, DatapathStructs.EventHeader header,
		InetAddress source, InetAddress destination, int sourcePort, int destinationPort, int tcpFlags, int icmpType,
		int icmpCode) {

	/**
	 * Observation point numbers (upstream TRACE_TO_LXC, TRACE_TO_OVERLAY, TRACE_FROM_LXC,
	 * TRACE_FROM_OVERLAY).
	 */
	public static final int TRACE_TO_LXC = 0;

	public static final int TRACE_TO_OVERLAY = 4;

	public static final int TRACE_FROM_LXC = 5;

	public static final int TRACE_FROM_OVERLAY = 9;

	static final int FLAG_EGRESS = 1;

	static final int FLAG_IPV6 = 2;

	static final int FLAG_ALLOWED = 4;

	private static final int ETH_HLEN = 14;

	private static final int TCP = 6;

	private static final int ICMP = 1;

	private static final int ICMPV6 = 58;

	/**
	 * Decodes a record as it came out of the ring buffer.
	 * @param bytes the record
	 * @return the event
	 */
	public static DatapathEvent decode(byte[] bytes) {
		DatapathStructs.EventHeader header = DatapathStructs.EventHeader.decode(bytes);
		EventType type = EventType.fromCode(header.type());
		DropReason reason = null;
		if (type == EventType.DROP || (type == EventType.POLICY_VERDICT && header.subtype() != 0)) {
			reason = DropReason.fromCode(header.subtype());
		}
		byte[] data = header.data();
		InetAddress src = null;
		InetAddress dst = null;
		int sport = 0;
		int dport = 0;
		int tcpFlags = 0;
		int icmpType = -1;
		int icmpCode = -1;
		if (data.length >= ETH_HLEN + 20) {
			int etherType = ((data[12] & 0xff) << 8) | (data[13] & 0xff);
			int l4 = -1;
			if (etherType == 0x0800) {
				src = inet(data, ETH_HLEN + 12, 4);
				dst = inet(data, ETH_HLEN + 16, 4);
				l4 = ETH_HLEN + (data[ETH_HLEN] & 0x0f) * 4;
			}
			else if (etherType == 0x86dd && data.length >= ETH_HLEN + 40) {
				src = inet(data, ETH_HLEN + 8, 16);
				dst = inet(data, ETH_HLEN + 24, 16);
				l4 = ETH_HLEN + 40;
			}
			boolean ported = header.protocol() == 6 || header.protocol() == 17 || header.protocol() == 132;
			if (ported && l4 > 0 && data.length >= l4 + 4) {
				sport = ((data[l4] & 0xff) << 8) | (data[l4 + 1] & 0xff);
				dport = ((data[l4 + 2] & 0xff) << 8) | (data[l4 + 3] & 0xff);
			}
			if (header.protocol() == TCP && l4 > 0 && data.length >= l4 + 14) {
				// Data offset byte: the low bit is NS (RFC 3540); the next byte CWR..FIN.
				tcpFlags = ((data[l4 + 12] & 0x01) << 8) | (data[l4 + 13] & 0xff);
			}
			boolean icmp = header.protocol() == ICMP || header.protocol() == ICMPV6;
			if (icmp && l4 > 0 && data.length >= l4 + 2) {
				icmpType = data[l4] & 0xff;
				icmpCode = data[l4 + 1] & 0xff;
			}
		}
		return new DatapathEvent(type, reason, header, src, dst, sport, dport, tcpFlags, icmpType, icmpCode);
	}

	public boolean egress() {
		return (this.header.flags() & FLAG_EGRESS) != 0;
	}

	/**
	 * Whether the packet was IPv6.
	 * @return true for IPv6
	 */
	public boolean ipv6() {
		return (this.header.flags() & FLAG_IPV6) != 0;
	}

	public boolean allowed() {
		return (this.header.flags() & FLAG_ALLOWED) != 0;
	}

	public int sourceIdentity() {
		return this.header.sourceIdentity();
	}

	public int destinationIdentity() {
		return this.header.destinationIdentity();
	}

	public int endpointId() {
		return this.header.source();
	}

	@Override
	public String toString() {
		return this.type + (this.dropReason != null ? "(" + this.dropReason + ")" : "") + " ep=" + endpointId() + " "
				+ (this.source != null ? this.source.getHostAddress() : "?") + ":" + this.sourcePort + " ["
				+ sourceIdentity() + "] -> " + (this.destination != null ? this.destination.getHostAddress() : "?")
				+ ":" + this.destinationPort + " [" + destinationIdentity() + "] proto=" + this.header.protocol();
	}

	private static InetAddress inet(byte[] data, int offset, int length) {
		try {
			return InetAddress.getByAddress(Arrays.copyOfRange(data, offset, offset + length));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
