package io.jcilium.agent.datapath.events;

import java.util.Optional;

import io.jcilium.api.hubble.flow.ICMPv4;
import io.jcilium.api.hubble.flow.ICMPv6;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.SCTP;
import io.jcilium.api.hubble.flow.TCP;
import io.jcilium.api.hubble.flow.TCPFlags;
import io.jcilium.api.hubble.flow.UDP;

/**
 * The L4 part of a flow from a decoded event: ports, TCP flags, ICMP type and code.
 */
final class PacketLayer4 {

	private static final int ICMP = 1;

	private static final int TCP_PROTOCOL = 6;

	private static final int UDP_PROTOCOL = 17;

	private static final int ICMPV6 = 58;

	private static final int SCTP_PROTOCOL = 132;

	private PacketLayer4() {
	}

	static Optional<Layer4> describe(DatapathEvent event) {
		Layer4.Builder l4 = Layer4.newBuilder();
		switch (event.header().protocol()) {
			case TCP_PROTOCOL -> l4.setTCP(TCP.newBuilder()
				.setSourcePort(event.sourcePort())
				.setDestinationPort(event.destinationPort())
				.setFlags(flags(event.tcpFlags())));
			case UDP_PROTOCOL -> l4
				.setUDP(UDP.newBuilder().setSourcePort(event.sourcePort()).setDestinationPort(event.destinationPort()));
			case SCTP_PROTOCOL -> l4.setSCTP(
					SCTP.newBuilder().setSourcePort(event.sourcePort()).setDestinationPort(event.destinationPort()));
			case ICMP -> {
				if (event.icmpType() < 0) {
					return Optional.empty();
				}
				l4.setICMPv4(ICMPv4.newBuilder().setType(event.icmpType()).setCode(event.icmpCode()));
			}
			case ICMPV6 -> {
				if (event.icmpType() < 0) {
					return Optional.empty();
				}
				l4.setICMPv6(ICMPv6.newBuilder().setType(event.icmpType()).setCode(event.icmpCode()));
			}
			default -> {
				return Optional.empty();
			}
		}
		return Optional.of(l4.build());
	}

	static TCPFlags flags(int bits) {
		return TCPFlags.newBuilder()
			.setFIN((bits & 0x01) != 0)
			.setSYN((bits & 0x02) != 0)
			.setRST((bits & 0x04) != 0)
			.setPSH((bits & 0x08) != 0)
			.setACK((bits & 0x10) != 0)
			.setURG((bits & 0x20) != 0)
			.setECE((bits & 0x40) != 0)
			.setCWR((bits & 0x80) != 0)
			.setNS((bits & 0x100) != 0)
			.build();
	}

}
