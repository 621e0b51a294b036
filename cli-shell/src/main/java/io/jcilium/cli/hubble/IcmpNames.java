package io.jcilium.cli.hubble;

/**
 * ICMP type and code names as upstream's summaries show them (gopacket's
 * {@code ICMPv4TypeCode}/{@code ICMPv6TypeCode} strings): {@code EchoRequest},
 * {@code DestinationUnreachable(Port)}.
 */
final class IcmpNames {

	private IcmpNames() {
	}

	static String v4(int type, int code) {
		return switch (type) {
			case 0 -> "EchoReply";
			case 3 -> "DestinationUnreachable(" + switch (code) {
				case 0 -> "Net";
				case 1 -> "Host";
				case 2 -> "Protocol";
				case 3 -> "Port";
				case 4 -> "FragmentationNeeded";
				default -> "Code: " + code;
			} + ")";
			case 8 -> "EchoRequest";
			case 11 -> "TimeExceeded(" + ((code == 0) ? "TTLExceeded" : "FragmentReassemblyTimeExceeded") + ")";
			default -> type + "(" + code + ")";
		};
	}

	static String v6(int type, int code) {
		return switch (type) {
			case 1 -> "DestinationUnreachable(" + switch (code) {
				case 0 -> "NoRouteToDst";
				case 1 -> "AdminProhibited";
				case 3 -> "Address";
				case 4 -> "Port";
				default -> "Code: " + code;
			} + ")";
			case 2 -> "PacketTooBig";
			case 3 -> "TimeExceeded(" + ((code == 0) ? "HopLimitExceeded" : "FragmentReassemblyTimeExceeded") + ")";
			case 128 -> "EchoRequest";
			case 129 -> "EchoReply";
			case 133 -> "RouterSolicitation";
			case 134 -> "RouterAdvertisement";
			case 135 -> "NeighborSolicitation";
			case 136 -> "NeighborAdvertisement";
			default -> type + "(" + code + ")";
		};
	}

}
