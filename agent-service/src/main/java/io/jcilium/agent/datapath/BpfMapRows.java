package io.jcilium.agent.datapath;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Map;

import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.common.datapath.DropReason;

/**
 * Datapath map entries decoded for people: addresses as text, protocols and directions by
 * name, drop reasons with upstream's descriptions, conntrack expiry as seconds left.
 */
final class BpfMapRows {

	private BpfMapRows() {
	}

	/**
	 * An ipcache entry.
	 *
	 * @param prefix the address or prefix, e.g. {@code 10.0.1.5/32}
	 * @param identity the security identity
	 * @param tunnelEndpoint the node the address lives on, {@code 0.0.0.0} for this node
	 * @param flags the entry's flags
	 */
	record Ipcache(String prefix, long identity, String tunnelEndpoint, int flags) {
	}

	/**
	 * A local endpoint entry.
	 *
	 * @param address the endpoint's address
	 * @param id the endpoint id
	 * @param identity its security identity
	 * @param flags its flags
	 * @param ifindex the host-side veth's ifindex
	 * @param mac the pod's MAC
	 * @param nodeMac the host-side veth's MAC
	 */
	record Endpoint(String address, int id, long identity, int flags, int ifindex, String mac, String nodeMac) {
	}

	/**
	 * A conntrack entry.
	 *
	 * @param protocol TCP, UDP, ICMP, ICMPv6, SCTP or the number
	 * @param direction OUT (from the endpoint) or IN
	 * @param source the originator, address:port
	 * @param destination the destination, address:port
	 * @param endpointId the endpoint the entry belongs to
	 * @param expiresInSeconds seconds until the entry expires (negative: expired, not yet
	 * swept)
	 * @param packets original-direction packets
	 * @param bytes original-direction bytes
	 * @param rxPackets reply packets
	 * @param rxBytes reply bytes
	 * @param sourceIdentity the originator's identity
	 * @param flags CT_F_* flags
	 */
	record Conntrack(String protocol, String direction, String source, String destination, int endpointId,
			long expiresInSeconds, long packets, long bytes, long rxPackets, long rxBytes, long sourceIdentity,
			int flags) {
	}

	/**
	 * A datapath counter.
	 *
	 * @param reason 0 for forwarded, else the drop reason code
	 * @param description upstream's description ("Policy denied", "Forwarded"...)
	 * @param direction INGRESS or EGRESS
	 * @param packets packets counted
	 * @param bytes bytes counted
	 */
	record Metrics(int reason, String description, String direction, long packets, long bytes) {
	}

	static Ipcache ipcache(Map.Entry<DatapathStructs.IpcacheKey, DatapathStructs.RemoteEndpointInfo> entry) {
		DatapathStructs.RemoteEndpointInfo info = entry.getValue();
		String tunnel = (info.tunnelEndpoint() != null) ? info.tunnelEndpoint().getHostAddress() : "0.0.0.0";
		return new Ipcache(entry.getKey().address().getHostAddress() + "/" + entry.getKey().prefixLength(),
				Integer.toUnsignedLong(info.identity()), tunnel, info.flags());
	}

	static Endpoint endpoint(Map.Entry<InetAddress, DatapathStructs.EndpointInfo> entry) {
		DatapathStructs.EndpointInfo info = entry.getValue();
		return new Endpoint(entry.getKey().getHostAddress(), info.endpointId(), Integer.toUnsignedLong(info.identity()),
				info.flags(), info.ifindex(), mac(info.mac()), mac(info.nodeMac()));
	}

	static Conntrack conntrack(Map.Entry<DatapathStructs.CtKey, DatapathStructs.CtEntry> entry, long nowSeconds) {
		DatapathStructs.CtKey key = entry.getKey();
		DatapathStructs.CtEntry value = entry.getValue();
		return new Conntrack(protocol(key.protocol()), (key.direction() == 0) ? "OUT" : "IN",
				socket(key.source(), key.sourcePort()), socket(key.destination(), key.destinationPort()),
				key.endpointId(), value.expiresSec() - nowSeconds, value.packets(), value.bytes(), value.rxPackets(),
				value.rxBytes(), Integer.toUnsignedLong(value.sourceIdentity()), value.flags());
	}

	static Metrics metrics(Map.Entry<DatapathStructs.MetricsKey, DatapathStructs.MetricsValue> entry) {
		int reason = entry.getKey().reason();
		String description = (reason == 0) ? "Forwarded" : DropReason.describe(reason);
		String direction = switch (entry.getKey().direction()) {
			case 1 -> "INGRESS";
			case 2 -> "EGRESS";
			default -> "UNKNOWN";
		};
		return new Metrics(reason, description, direction, entry.getValue().count(), entry.getValue().bytes());
	}

	static String protocol(int number) {
		return switch (number) {
			case 1 -> "ICMP";
			case 6 -> "TCP";
			case 17 -> "UDP";
			case 58 -> "ICMPv6";
			case 132 -> "SCTP";
			default -> Integer.toString(number);
		};
	}

	private static String socket(InetAddress address, int port) {
		String host = address.getHostAddress();
		return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
	}

	private static String mac(byte[] bytes) {
		return (bytes == null) ? "" : HexFormat.ofDelimiter(":").formatHex(bytes);
	}

}
