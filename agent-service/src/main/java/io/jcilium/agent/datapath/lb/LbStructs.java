package io.jcilium.agent.datapath.lb;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.jcilium.agent.datapath.maps.DatapathStructs.Field;
import io.jcilium.agent.datapath.maps.DatapathStructs.Layout;
import io.jcilium.common.net.Protocol;

import io.jcilium.agent.service.lb.FrontendKey;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbMaps;
import io.jcilium.agent.service.lb.Scope;

/**
 * Java mirror of {@code bpf/lib/lb_types.h}, with each struct's layout (checked against
 * {@code bpf_sock.o}'s BTF by a test) and codec. Numbers are host order, ports
 * ({@code __be16}) and addresses network order, IPv4 in the first 4 of 16 bytes.
 */
public final class LbStructs {

	static final int FAMILY_IPV4 = 1;

	static final int FAMILY_IPV6 = 2;

	public static final Layout KEY = layout("lb_key", 24, "addr", 0, 16, "dport", 16, 2, "backend_slot", 18, 2, "proto",
			20, 1, "scope", 21, 1, "family", 22, 1, "pad", 23, 1);

	public static final Layout SERVICE = layout("lb_service", 16, "backend_id", 0, 4, "affinity_timeout", 4, 4, "count",
			8, 2, "rev_nat_index", 10, 2, "flags", 12, 2, "pad", 14, 2);

	public static final Layout BACKEND = layout("lb_backend", 24, "addr", 0, 16, "port", 16, 2, "proto", 18, 1,
			"family", 19, 1, "flags", 20, 4);

	public static final Layout REVERSE_NAT = layout("lb_reverse_nat", 20, "addr", 0, 16, "port", 16, 2, "family", 18, 1,
			"pad", 19, 1);

	public static final Layout SOCK_KEY = layout("lb_sock_key", 32, "cookie", 0, 8, "addr", 8, 16, "port", 24, 2,
			"family", 26, 1, "pad", 27, 5);

	public static final Layout SOCK_VALUE = layout("lb_sock_value", 20, "addr", 0, 16, "port", 16, 2, "rev_nat_index",
			18, 2);

	public static final Layout AFFINITY_KEY = layout("lb_affinity_key", 16, "client_cookie", 0, 8, "rev_nat_index", 8,
			2, "pad", 10, 6);

	public static final Layout AFFINITY_VALUE = layout("lb_affinity_value", 8, "backend_id", 0, 4, "last_used", 4, 4);

	public static final Layout AFFINITY_MATCH_KEY = layout("lb_affinity_match_key", 8, "backend_id", 0, 4,
			"rev_nat_index", 4, 2, "pad", 6, 2);

	/** Every mirrored struct, for the layout test. */
	public static final List<Layout> LAYOUTS = List.of(KEY, SERVICE, BACKEND, REVERSE_NAT, SOCK_KEY, SOCK_VALUE,
			AFFINITY_KEY, AFFINITY_VALUE, AFFINITY_MATCH_KEY);

	private LbStructs() {
	}

	static byte[] key(FrontendKey key, int slot) {
		L4Address address = key.address();
		ByteBuffer b = buffer(KEY);
		b.put(0, addr16(address.address()));
		b.order(ByteOrder.BIG_ENDIAN).putShort(16, (short) address.port()).order(ByteOrder.nativeOrder());
		b.putShort(18, (short) slot);
		b.put(20, (byte) address.protocol().code());
		b.put(21, (byte) key.scope().code());
		b.put(22, (byte) family(address.address()));
		return b.array();
	}

	/**
	 * Decodes a service map key.
	 * @param bytes the key
	 * @return the frontend and the slot
	 */
	static SlotKey decodeKey(byte[] bytes) {
		ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
		int port = Short.toUnsignedInt(ByteBuffer.wrap(bytes, 16, 2).order(ByteOrder.BIG_ENDIAN).getShort());
		L4Address address = new L4Address(address(bytes[22], bytes, 0), port,
				Protocol.fromCode(Byte.toUnsignedInt(bytes[20])));
		Scope scope = (bytes[21] == Scope.INTERNAL.code()) ? Scope.INTERNAL : Scope.EXTERNAL;
		return new SlotKey(new FrontendKey(address, scope), Short.toUnsignedInt(b.getShort(18)));
	}

	static byte[] master(LbMaps.Master master) {
		ByteBuffer b = buffer(SERVICE);
		b.putInt(4, master.affinityTimeoutSeconds());
		b.putShort(8, (short) master.count());
		b.putShort(10, (short) master.reverseNat());
		b.putShort(12, (short) master.flags());
		return b.array();
	}

	static byte[] slot(int backendId) {
		return buffer(SERVICE).putInt(0, backendId).array();
	}

	/**
	 * Decodes a service map value.
	 * @param bytes the value
	 * @return backend id (slots), count, rev NAT, flags and timeout (masters)
	 */
	static ServiceValue decodeService(byte[] bytes) {
		ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
		return new ServiceValue(b.getInt(0), new LbMaps.Master(Short.toUnsignedInt(b.getShort(8)),
				Short.toUnsignedInt(b.getShort(10)), Short.toUnsignedInt(b.getShort(12)), b.getInt(4)));
	}

	static byte[] backend(L4Address backend) {
		ByteBuffer b = buffer(BACKEND);
		b.put(0, addr16(backend.address()));
		b.order(ByteOrder.BIG_ENDIAN).putShort(16, (short) backend.port());
		b.put(18, (byte) backend.protocol().code());
		b.put(19, (byte) family(backend.address()));
		return b.array();
	}

	static L4Address decodeBackend(byte[] bytes) {
		int port = Short.toUnsignedInt(ByteBuffer.wrap(bytes, 16, 2).order(ByteOrder.BIG_ENDIAN).getShort());
		return new L4Address(address(bytes[19], bytes, 0), port, Protocol.fromCode(Byte.toUnsignedInt(bytes[18])));
	}

	static byte[] reverseNat(L4Address frontend) {
		ByteBuffer b = buffer(REVERSE_NAT);
		b.put(0, addr16(frontend.address()));
		b.order(ByteOrder.BIG_ENDIAN).putShort(16, (short) frontend.port());
		b.put(18, (byte) family(frontend.address()));
		return b.array();
	}

	/**
	 * Decodes a rev NAT value: address and port, without a protocol (the entry has none).
	 * @param bytes the value
	 * @return the frontend address
	 */
	static InetSocketAddress decodeReverseNat(byte[] bytes) {
		int port = Short.toUnsignedInt(ByteBuffer.wrap(bytes, 16, 2).order(ByteOrder.BIG_ENDIAN).getShort());
		return new InetSocketAddress(address(bytes[18], bytes, 0), port);
	}

	static byte[] u32(int value) {
		return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value).array();
	}

	static byte[] u16(int value) {
		return ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort(0, (short) value).array();
	}

	static byte[] affinityMatch(int backendId, int reverseNat) {
		ByteBuffer b = buffer(AFFINITY_MATCH_KEY);
		b.putInt(0, backendId);
		b.putShort(4, (short) reverseNat);
		return b.array();
	}

	private static int family(InetAddress address) {
		return (address instanceof Inet6Address) ? FAMILY_IPV6 : FAMILY_IPV4;
	}

	private static byte[] addr16(InetAddress address) {
		return Arrays.copyOf(address.getAddress(), 16);
	}

	private static InetAddress address(byte family, byte[] bytes, int offset) {
		int length = (family == FAMILY_IPV6) ? 16 : 4;
		try {
			return InetAddress.getByAddress(Arrays.copyOfRange(bytes, offset, offset + length));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("bad address length " + length, ex);
		}
	}

	private static ByteBuffer buffer(Layout layout) {
		return ByteBuffer.allocate(layout.sizeBytes()).order(ByteOrder.nativeOrder());
	}

	private static Layout layout(String struct, int size, Object... nameOffsetSize) {
		List<Field> fields = new ArrayList<>();
		for (int i = 0; i < nameOffsetSize.length; i += 3) {
			fields.add(new Field((String) nameOffsetSize[i], (Integer) nameOffsetSize[i + 1],
					(Integer) nameOffsetSize[i + 2]));
		}
		return new Layout(struct, size, List.copyOf(fields));
	}

	/**
	 * A decoded service map key.
	 *
	 * @param frontend the frontend
	 * @param slot 0 for the master, else the backend slot
	 */
	public record SlotKey(FrontendKey frontend, int slot) {

	}

	/**
	 * A decoded service map value.
	 *
	 * @param backendId the backend (slots)
	 * @param master count, rev NAT, flags, timeout (masters)
	 */
	public record ServiceValue(int backendId, LbMaps.Master master) {

	}

}
