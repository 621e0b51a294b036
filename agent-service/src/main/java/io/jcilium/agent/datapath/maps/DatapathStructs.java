package io.jcilium.agent.datapath.maps;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Java mirror of {@code bpf/lib/datapath_types.h}: every struct that crosses between the
 * kernel and the agent, with its layout (checked against the object's BTF by a test) and
 * its codec. Numbers are host byte order unless the C field is {@code __be}; addresses
 * are network order, IPv4 in the first 4 of 16 bytes.
 */
public final class DatapathStructs {

	/** Address family numbers used in keys (upstream ENDPOINT_KEY_IPV4/IPV6). */
	public static final int FAMILY_IPV4 = 1;

	public static final int FAMILY_IPV6 = 2;

	/** Bits of an ipcache key before the address: cluster_id, pad, family. */
	static final int IPCACHE_STATIC_PREFIX = 32;

	private static final ByteOrder HOST = ByteOrder.nativeOrder();

	/** Every mirrored struct, for the layout test. */
	public static final List<Layout> LAYOUTS = List.of(IpcacheKey.LAYOUT, RemoteEndpointInfo.LAYOUT, EndpointKey.LAYOUT,
			EndpointInfo.LAYOUT, PolicyKey.LAYOUT, PolicyEntry.LAYOUT, CtKey.LAYOUT, CtEntry.LAYOUT, CtCounter.LAYOUT,
			FragKey.LAYOUT, FragL4.LAYOUT, MetricsKey.LAYOUT, MetricsValue.LAYOUT, EventHeader.LAYOUT,
			LxcConfig.LAYOUT);

	private DatapathStructs() {
	}

	/**
	 * {@code struct ipcache_key}: an IP prefix.
	 *
	 * @param address the (network) address
	 * @param prefixLength the prefix length in bits (32/128 for a host)
	 */
	public record IpcacheKey(InetAddress address, int prefixLength) {

		public static final Layout LAYOUT = Layout.of("ipcache_key", 24, "prefixlen", 0, 4, "cluster_id", 4, 2, "pad",
				6, 1, "family", 7, 1, "addr", 8, 16);

		public byte[] encode() {
			ByteBuffer b = buffer(LAYOUT);
			b.putInt(0, IPCACHE_STATIC_PREFIX + this.prefixLength);
			b.put(7, (byte) family(this.address));
			b.put(8, addr16(this.address));
			return b.array();
		}

		public static IpcacheKey decode(byte[] bytes) {
			ByteBuffer b = wrap(bytes, LAYOUT);
			InetAddress address = decodeAddress(b.get(7), bytes, 8);
			return new IpcacheKey(address, b.getInt(0) - IPCACHE_STATIC_PREFIX);
		}

	}

	/**
	 * {@code struct remote_endpoint_info}: what the ipcache says about a prefix.
	 *
	 * @param identity the security identity
	 * @param tunnelEndpoint IPv4 of the hosting node, null for this node
	 * @param flags flags (reserved)
	 */
	public record RemoteEndpointInfo(int identity, Inet4Address tunnelEndpoint, int flags) {

		public static final Layout LAYOUT = Layout.of("remote_endpoint_info", 12, "identity", 0, 4, "tunnel_endpoint",
				4, 4, "encrypt_key", 8, 1, "flags", 9, 1, "pad", 10, 2);

		public byte[] encode() {
			ByteBuffer b = buffer(LAYOUT);
			b.putInt(0, this.identity);
			if (this.tunnelEndpoint != null) {
				b.put(4, this.tunnelEndpoint.getAddress());
			}
			b.put(9, (byte) this.flags);
			return b.array();
		}

		public static RemoteEndpointInfo decode(byte[] bytes) {
			ByteBuffer b = wrap(bytes, LAYOUT);
			byte[] tunnel = Arrays.copyOfRange(bytes, 4, 8);
			boolean none = Arrays.equals(tunnel, new byte[4]);
			return new RemoteEndpointInfo(b.getInt(0), none ? null : (Inet4Address) inet(tunnel), b.get(9) & 0xff);
		}

	}

	/**
	 * {@code struct endpoint_key}: a local endpoint's IP.
	 *
	 * @param address the endpoint's address
	 */
	public record EndpointKey(InetAddress address) {

		public static final Layout LAYOUT = Layout.of("endpoint_key", 20, "addr", 0, 16, "family", 16, 1, "key", 17, 1,
				"cluster_id", 18, 2);

		public byte[] encode() {
			ByteBuffer b = buffer(LAYOUT);
			b.put(0, addr16(this.address));
			b.put(16, (byte) family(this.address));
			return b.array();
		}

		public static EndpointKey decode(byte[] bytes) {
			return new EndpointKey(decodeAddress(bytes[16], bytes, 0));
		}

	}

	/**
	 * {@code struct endpoint_info}: where and who a local endpoint is. Local pods deliver
	 * to an endpoint directly (no routing stack) only if it is here with both MACs and
	 * its policy program is registered in the policy call map (the loader does that).
	 *
	 * @param ifindex host-side veth ifindex
	 * @param endpointId endpoint id
	 * @param flags flags (reserved)
	 * @param mac the pod's MAC (6 bytes; the destination MAC of packets delivered to it)
	 * @param nodeMac the host-side veth's MAC (6 bytes; their source MAC, the pod's
	 * gateway)
	 * @param identity the endpoint's security identity
	 */
	public record EndpointInfo(int ifindex, int endpointId, int flags, byte[] mac, byte[] nodeMac, int identity) {

		public static final Layout LAYOUT = Layout.of("endpoint_info", 28, "ifindex", 0, 4, "unused", 4, 2,
				"endpoint_id", 6, 2, "flags", 8, 4, "mac", 12, 6, "node_mac", 18, 6, "identity", 24, 4);

		public byte[] encode() {
			ByteBuffer b = buffer(LAYOUT);
			b.putInt(0, this.ifindex);
			b.putShort(6, (short) this.endpointId);
			b.putInt(8, this.flags);
			b.put(12, mac6(this.mac));
			b.put(18, mac6(this.nodeMac));
			b.putInt(24, this.identity);
			return b.array();
		}

		public static EndpointInfo decode(byte[] bytes) {
			ByteBuffer b = wrap(bytes, LAYOUT);
			return new EndpointInfo(b.getInt(0), b.getShort(6) & 0xffff, b.getInt(8), Arrays.copyOfRange(bytes, 12, 18),
					Arrays.copyOfRange(bytes, 18, 24), b.getInt(24));
		}

	}

	/**
	 * {@code struct policy_key}: identity (0 = any), direction, protocol, port prefix.
	 *
	 * @param identity peer identity, 0 for any
	 * @param egress true for egress (from the endpoint)
	 * @param protocol IP protocol number, 0 with a prefix of 40 for any
	 * @param port destination port (ICMP: type in the high byte)
	 * @param prefixLength 40 (any protocol), 48 (any port), up to 64 (exact port)
	 */
	public record PolicyKey(int identity, boolean egress, int protocol, int port, int prefixLength) {

		public static final Layout LAYOUT = Layout.of("policy_key", 12, "prefixlen", 0, 4, "identity", 4, 4, "egress",
				8, 1, "protocol", 9, 1, "dport", 10, 2);

		public byte[] encode() {
			ByteBuffer b = buffer(LAYOUT);
			b.putInt(0, this.prefixLength);
			b.putInt(4, this.identity);
			b.put(8, (byte) (this.egress ? 1 : 0));
			b.put(9, (byte) this.protocol);
			b.order(ByteOrder.BIG_ENDIAN).putShort(10, (short) this.port);
			return b.array();
		}

		public static PolicyKey decode(byte[] bytes) {
			ByteBuffer b = wrap(bytes, LAYOUT);
			int port = ByteBuffer.wrap(bytes).getShort(10) & 0xffff;
			return new PolicyKey(b.getInt(4), b.get(8) != 0, b.get(9) & 0xff, port, b.getInt(0));
		}

	}

	/**
	 * {@code struct policy_entry}: verdict and counters.
	 *
	 * @param deny true for a deny entry
	 * @param proxyPort L7 proxy port (reserved, 0)
	 * @param prefixLength the key's prefix length (reported in verdict events)
	 * @param packets packets that matched
	 * @param bytes bytes that matched
	 */
	public record PolicyEntry(boolean deny, int proxyPort, int prefixLength, long packets, long bytes) {

		public static final Layout LAYOUT = Layout.of("policy_entry", 24, "proxy_port", 0, 2, "flags", 2, 1,
				"prefix_len", 3, 1, "pad", 4, 4, "packets", 8, 8, "bytes", 16, 8);

		static final int F_DENY = 1;

		public byte[] encode() {
			ByteBuffer b = buffer(LAYOUT);
			b.order(ByteOrder.BIG_ENDIAN).putShort(0, (short) this.proxyPort).order(HOST);
			b.put(2, (byte) (this.deny ? F_DENY : 0));
			b.put(3, (byte) this.prefixLength);
			b.putLong(8, this.packets);
			b.putLong(16, this.bytes);
			return b.array();
		}

		public static PolicyEntry decode(byte[] bytes) {
			ByteBuffer b = wrap(bytes, LAYOUT);
			int proxyPort = ByteBuffer.wrap(bytes).getShort(0) & 0xffff;
			return new PolicyEntry((b.get(2) & F_DENY) != 0, proxyPort, b.get(3) & 0xff, b.getLong(8), b.getLong(16));
		}

	}

	/**
	 * {@code struct ct_key}: the opening packet's tuple, the direction it was seen in and
	 * the endpoint whose program created the entry (only that endpoint's packets match
	 * it).
	 *
	 * @param destination destination address
	 * @param source source address
	 * @param destinationPort destination port (ICMP echo: identifier)
	 * @param sourcePort source port (ICMP echo: identifier)
	 * @param protocol IP protocol
	 * @param direction 0 egress (from endpoint), 1 ingress
	 * @param endpointId the owning endpoint's id
	 */
	public record CtKey(InetAddress destination, InetAddress source, int destinationPort, int sourcePort, int protocol,
			int direction, int endpointId) {

		public static final Layout LAYOUT = Layout.of("ct_key", 44, "daddr", 0, 16, "saddr", 16, 16, "dport", 32, 2,
				"sport", 34, 2, "nexthdr", 36, 1, "dir", 37, 1, "family", 38, 1, "pad", 39, 1, "endpoint_id", 40, 2,
				"pad2", 42, 2);

		public byte[] encode() {
			ByteBuffer b = buffer(LAYOUT);
			b.put(0, addr16(this.destination));
			b.put(16, addr16(this.source));
			b.order(ByteOrder.BIG_ENDIAN)
				.putShort(32, (short) this.destinationPort)
				.putShort(34, (short) this.sourcePort);
			b.put(36, (byte) this.protocol);
			b.put(37, (byte) this.direction);
			b.put(38, (byte) family(this.destination));
			b.order(HOST).putShort(40, (short) this.endpointId);
			return b.array();
		}

		public static CtKey decode(byte[] bytes) {
			ByteBuffer be = ByteBuffer.wrap(bytes);
			int endpointId = wrap(bytes, LAYOUT).getShort(40) & 0xffff;
			return new CtKey(decodeAddress(bytes[38], bytes, 0), decodeAddress(bytes[38], bytes, 16),
					be.getShort(32) & 0xffff, be.getShort(34) & 0xffff, bytes[36] & 0xff, bytes[37] & 0xff, endpointId);
		}

	}

	/**
	 * {@code struct ct_entry}: counters both ways, expiry, originator identity. The TCP
	 * flags already traced per direction ({@code tx_flags_seen}, {@code rx_flags_seen})
	 * and the key of the policy entry that admitted the connection ({@code policy_hit},
	 * charged with its every packet) are the datapath's alone: not read here, written as
	 * none.
	 *
	 * @param packets original-direction packets
	 * @param bytes original-direction bytes
	 * @param rxPackets reply packets
	 * @param rxBytes reply bytes
	 * @param expiresSec CLOCK_MONOTONIC second after which the entry is dead
	 * @param sourceIdentity identity of the connection's originator
	 * @param flags CT_F_* (closing, seen non-SYN)
	 * @param policyRevision the endpoint's policy revision the connection was last
	 * allowed at
	 */
	public record CtEntry(long packets, long bytes, long rxPackets, long rxBytes, long expiresSec, int sourceIdentity,
			int flags, int policyRevision) {

		public static final Layout LAYOUT = Layout.of("ct_entry", 64, "packets", 0, 8, "bytes", 8, 8, "rx_packets", 16,
				8, "rx_bytes", 24, 8, "expires_sec", 32, 4, "src_identity", 36, 4, "flags", 40, 2, "tx_flags_seen", 42,
				1, "rx_flags_seen", 43, 1, "policy_rev", 44, 4, "policy_hit", 48, 12);

		public byte[] encode() {
			ByteBuffer b = buffer(LAYOUT);
			b.putLong(0, this.packets).putLong(8, this.bytes).putLong(16, this.rxPackets).putLong(24, this.rxBytes);
			b.putInt(32, (int) this.expiresSec).putInt(36, this.sourceIdentity).putShort(40, (short) this.flags);
			b.putInt(44, this.policyRevision);
			return b.array();
		}

		public static CtEntry decode(byte[] bytes) {
			ByteBuffer b = wrap(bytes, LAYOUT);
			return new CtEntry(b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24),
					Integer.toUnsignedLong(b.getInt(32)), b.getInt(36), b.getShort(40) & 0xffff, b.getInt(44));
		}

	}

	/**
	 * {@code struct ct_counter}: one endpoint's conntrack entries created by the datapath
	 * ({@code ct_created}) or gone since ({@code ct_released}, written by the agent's
	 * sweep only).
	 *
	 * @param entries the count
	 */
	public record CtCounter(long entries) {

		public static final Layout LAYOUT = Layout.of("ct_counter", 4, "entries", 0, 4);

		public byte[] encode() {
			return buffer(LAYOUT).putInt(0, (int) this.entries).array();
		}

		public static CtCounter decode(byte[] bytes) {
			return new CtCounter(Integer.toUnsignedLong(wrap(bytes, LAYOUT).getInt(0)));
		}

		/**
		 * A key of the counter maps.
		 * @param endpointId the endpoint id
		 * @return the 4-byte key
		 */
		public static byte[] key(int endpointId) {
			return ByteBuffer.allocate(4).order(HOST).putInt(0, endpointId).array();
		}

		static int decodeKey(byte[] key) {
			return ByteBuffer.wrap(key).order(HOST).getInt(0);
		}

	}

	/**
	 * {@code struct frag_key}: one fragmented datagram (the datapath's own map, mirrored
	 * for its layout).
	 *
	 * @param source source address
	 * @param destination destination address
	 * @param id IP identification (IPv4: 16 bits, IPv6: 32 bits), network order
	 * @param protocol L4 protocol
	 */
	public record FragKey(InetAddress source, InetAddress destination, int id, int protocol) {

		public static final Layout LAYOUT = Layout.of("frag_key", 40, "saddr", 0, 16, "daddr", 16, 16, "id", 32, 4,
				"protocol", 36, 1, "family", 37, 1, "pad", 38, 2);

	}

	/**
	 * {@code struct frag_l4}: what a datagram's first fragment said about L4.
	 *
	 * @param sourcePort source port
	 * @param destinationPort destination port
	 * @param policyPort the port policy matched (ICMP: type in the high byte)
	 * @param icmpType ICMP type
	 */
	public record FragL4(int sourcePort, int destinationPort, int policyPort, int icmpType) {

		public static final Layout LAYOUT = Layout.of("frag_l4", 8, "sport", 0, 2, "dport", 2, 2, "policy_port", 4, 2,
				"icmp_type", 6, 1, "pad", 7, 1);

	}

	/**
	 * {@code struct metrics_key}.
	 *
	 * @param reason 0 forwarded, else the drop reason
	 * @param direction 1 ingress, 2 egress
	 */
	public record MetricsKey(int reason, int direction) {

		public static final Layout LAYOUT = Layout.of("metrics_key", 8, "reason", 0, 1, "dir", 1, 1, "reserved", 2, 6);

		public byte[] encode() {
			ByteBuffer b = buffer(LAYOUT);
			b.put(0, (byte) this.reason).put(1, (byte) this.direction);
			return b.array();
		}

		public static MetricsKey decode(byte[] bytes) {
			return new MetricsKey(bytes[0] & 0xff, bytes[1] & 0xff);
		}

	}

	/**
	 * {@code struct metrics_value} (one CPU's, or a sum).
	 *
	 * @param count packets
	 * @param bytes bytes
	 */
	public record MetricsValue(long count, long bytes) {

		public static final Layout LAYOUT = Layout.of("metrics_value", 16, "count", 0, 8, "bytes", 8, 8);

		public static MetricsValue decode(byte[] bytes, int offset) {
			ByteBuffer b = ByteBuffer.wrap(bytes).order(HOST);
			return new MetricsValue(b.getLong(offset), b.getLong(offset + 8));
		}

	}

	/**
	 * {@code struct event_hdr}: the common header of every ring-buffer event.
	 *
	 * @param type 1 drop, 4 trace, 5 policy verdict
	 * @param subtype drop reason or observation point
	 * @param source endpoint id
	 * @param hash skb hash
	 * @param lengthOriginal packet length
	 * @param lengthCaptured bytes of the packet in {@code data}
	 * @param version header version
	 * @param sourceIdentity source security identity
	 * @param destinationIdentity destination security identity
	 * @param destinationEndpointId destination endpoint id, 0 if not local
	 * @param observationPoint TRACE_* point
	 * @param flags EVENT_F_*
	 * @param ifindex interface the program ran on
	 * @param reason drop reason, or conntrack state for trace/verdict
	 * @param matchType POLICY_MATCH_*
	 * @param protocol IP protocol
	 * @param port destination port as policy saw it
	 * @param ktimeNs CLOCK_MONOTONIC nanoseconds
	 * @param data first bytes of the packet
	 */
	public record EventHeader(int type, int subtype, int source, int hash, long lengthOriginal, int lengthCaptured,
			int version, int sourceIdentity, int destinationIdentity, int destinationEndpointId, int observationPoint,
			int flags, int ifindex, int reason, int matchType, int protocol, int port, long ktimeNs, byte[] data) {

		public static final int PAYLOAD_BYTES = 128;

		public static final Layout LAYOUT = Layout.of("event_hdr", 176, "type", 0, 1, "subtype", 1, 1, "source", 2, 2,
				"hash", 4, 4, "len_orig", 8, 4, "len_cap", 12, 2, "version", 14, 2, "src_identity", 16, 4,
				"dst_identity", 20, 4, "dst_endpoint_id", 24, 2, "obs_point", 26, 1, "flags", 27, 1, "ifindex", 28, 4,
				"reason", 32, 1, "match_type", 33, 1, "protocol", 34, 1, "pad", 35, 1, "dport", 36, 2, "pad2", 38, 2,
				"ktime_ns", 40, 8, "data", 48, PAYLOAD_BYTES);

		public static EventHeader decode(byte[] bytes) {
			ByteBuffer b = wrap(bytes, LAYOUT);
			int captured = Math.min(b.getShort(12) & 0xffff, PAYLOAD_BYTES);
			int port = ByteBuffer.wrap(bytes).getShort(36) & 0xffff;
			return new EventHeader(b.get(0) & 0xff, b.get(1) & 0xff, b.getShort(2) & 0xffff, b.getInt(4),
					Integer.toUnsignedLong(b.getInt(8)), captured, b.getShort(14) & 0xffff, b.getInt(16), b.getInt(20),
					b.getShort(24) & 0xffff, b.get(26) & 0xff, b.get(27) & 0xff, b.getInt(28), b.get(32) & 0xff,
					b.get(33) & 0xff, b.get(34) & 0xff, port, b.getLong(40),
					Arrays.copyOfRange(bytes, 48, 48 + captured));
		}

	}

	/**
	 * {@code struct lxc_config}: an endpoint's settings, the value of the
	 * {@code endpoint_config} map under its endpoint id.
	 *
	 * @param endpointId endpoint id (non-zero; an entry whose id is not the key's, or no
	 * entry, makes the endpoint's programs drop everything with DROP_NO_CONFIG)
	 * @param identity the endpoint's security identity
	 * @param ifindex host-side veth ifindex (local pods deliver into its peer, the pod's
	 * eth0; 0 leaves delivery to the routing stack)
	 * @param flags LXC_F_* (1: trace every packet, 2: legacy routing)
	 */
	public record LxcConfig(int endpointId, int identity, int ifindex, int flags) {

		public static final Layout LAYOUT = Layout.of("lxc_config", 16, "endpoint_id", 0, 4, "identity", 4, 4,
				"ifindex", 8, 4, "flags", 12, 4);

		/** Trace every forwarded packet instead of only new connections. */
		public static final int F_TRACE_ALL = 1;

		/**
		 * Never hand this endpoint's packets to a local destination pod directly: the
		 * node's routing stack forwards them (upstream's legacy host routing).
		 */
		public static final int F_LEGACY_ROUTING = 2;

		public byte[] encode() {
			ByteBuffer b = buffer(LAYOUT);
			b.putInt(0, this.endpointId).putInt(4, this.identity).putInt(8, this.ifindex).putInt(12, this.flags);
			return b.array();
		}

		public static LxcConfig decode(byte[] bytes) {
			ByteBuffer b = wrap(bytes, LAYOUT);
			return new LxcConfig(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12));
		}

	}

	/**
	 * A struct layout as the Java codec assumes it.
	 *
	 * @param struct the C struct tag
	 * @param sizeBytes sizeof
	 * @param fields fields in declaration order
	 */
	public record Layout(String struct, int sizeBytes, List<Field> fields) {

		static Layout of(String struct, int size, Object... nameOffsetSize) {
			Field[] fields = new Field[nameOffsetSize.length / 3];
			for (int i = 0; i < fields.length; i++) {
				fields[i] = new Field((String) nameOffsetSize[i * 3], (Integer) nameOffsetSize[i * 3 + 1],
						(Integer) nameOffsetSize[i * 3 + 2]);
			}
			return new Layout(struct, size, List.of(fields));
		}

	}

	/**
	 * One field.
	 *
	 * @param name C member name
	 * @param offsetBytes offsetof
	 * @param sizeBytes sizeof
	 */
	public record Field(String name, int offsetBytes, int sizeBytes) {

	}

	static int family(InetAddress address) {
		return (address instanceof Inet6Address) ? FAMILY_IPV6 : FAMILY_IPV4;
	}

	static byte[] addr16(InetAddress address) {
		return Arrays.copyOf(address.getAddress(), 16);
	}

	private static InetAddress decodeAddress(byte family, byte[] bytes, int offset) {
		int length = (family == FAMILY_IPV6) ? 16 : 4;
		return inet(Arrays.copyOfRange(bytes, offset, offset + length));
	}

	static InetAddress inet(byte[] raw) {
		try {
			return InetAddress.getByAddress(raw);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("bad address length " + raw.length, ex);
		}
	}

	private static byte[] mac6(byte[] mac) {
		if (mac == null) {
			return new byte[6];
		}
		if (mac.length != 6) {
			throw new IllegalArgumentException("a MAC address has 6 bytes, got " + mac.length);
		}
		return mac;
	}

	private static ByteBuffer buffer(Layout layout) {
		return ByteBuffer.allocate(layout.sizeBytes()).order(HOST);
	}

	private static ByteBuffer wrap(byte[] bytes, Layout layout) {
		if (bytes.length < layout.sizeBytes()) {
			throw new IllegalArgumentException(
					"struct " + layout.struct() + " needs " + layout.sizeBytes() + " bytes, got " + bytes.length);
		}
		return ByteBuffer.wrap(bytes).order(HOST);
	}

}
