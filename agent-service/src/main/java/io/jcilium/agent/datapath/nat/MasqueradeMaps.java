package io.jcilium.agent.datapath.nat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.net.IpAddress;

/**
 * The two maps the agent writes for masquerading ({@code bpf/lib/nat.h}):
 * {@code masq_config} (on or off) and {@code ipmasq_v4} (the non-masquerade CIDRs, an LPM
 * trie keyed by {@code struct ipmasq_key}: prefix length, then the IPv4 address in
 * network order). Writing is level-triggered: the trie ends up holding exactly the given
 * prefixes whatever an earlier run left pinned.
 */
public final class MasqueradeMaps {

	static final String CONFIG_MAP = "masq_config";

	static final String NON_MASQUERADE_MAP = "ipmasq_v4";

	private static final int KEY_SIZE = 8;

	private final BpfMap config;

	private final BpfMap nonMasquerade;

	/**
	 * @param config {@code masq_config}
	 * @param nonMasquerade {@code ipmasq_v4}
	 */
	public MasqueradeMaps(BpfMap config, BpfMap nonMasquerade) {
		this.config = config;
		this.nonMasquerade = nonMasquerade;
	}

	/**
	 * Writes the non-masquerade prefixes first, then the switch, so masquerading never
	 * runs with a partial list.
	 * @param enabled whether to masquerade
	 * @param prefixes IPv4 prefixes to leave alone
	 */
	public synchronized void apply(boolean enabled, List<Cidr> prefixes) {
		Set<ByteBuffer> wanted = new HashSet<>();
		for (Cidr prefix : prefixes) {
			byte[] key = key(prefix);
			wanted.add(ByteBuffer.wrap(key));
			this.nonMasquerade.update(key, new byte[] { 1 }, BpfMap.ANY);
		}
		for (byte[] key : this.nonMasquerade.keys()) {
			if (!wanted.contains(ByteBuffer.wrap(key))) {
				this.nonMasquerade.delete(key);
			}
		}
		byte[] zero = new byte[4];
		this.config.update(zero, nativeInt(enabled ? 1 : 0), BpfMap.ANY);
	}

	static byte[] key(Cidr prefix) {
		InetAddress network = IpAddress.parseLiteral(prefix.network());
		return ByteBuffer.allocate(KEY_SIZE)
			.order(ByteOrder.nativeOrder())
			.putInt(prefix.prefixLength())
			.put(network.getAddress())
			.array();
	}

	private static byte[] nativeInt(int value) {
		return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
	}

}
