package io.jcilium.agent.datapath.nat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.net.IpAddress;

/**
 * The maps the agent writes for masquerading ({@code bpf/lib/nat.h}): {@code masq_config}
 * (on or off), {@code ipmasq_v4} (the non-masquerade CIDRs) and {@code masq_cluster_v4}
 * (the cluster's pod CIDRs, {@link ClusterPodCidrs}), both LPM tries keyed by
 * {@code struct ipmasq_key}: prefix length, then the IPv4 address in network order.
 * Writing is level-triggered: a trie ends up holding exactly the given prefixes whatever
 * an earlier run left pinned.
 */
public final class MasqueradeMaps {

	static final String CONFIG_MAP = "masq_config";

	static final String NON_MASQUERADE_MAP = "ipmasq_v4";

	static final String CLUSTER_MAP = "masq_cluster_v4";

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
		writePrefixes(this.nonMasquerade, prefixes, true);
		byte[] zero = new byte[4];
		this.config.update(zero, nativeInt(enabled ? 1 : 0), BpfMap.ANY);
	}

	/**
	 * Writes prefixes into a trie keyed by {@code struct ipmasq_key}.
	 * @param trie {@code ipmasq_v4} or {@code masq_cluster_v4}
	 * @param prefixes IPv4 prefixes it is to hold
	 * @param removeOthers whether prefixes not given are removed (else only added)
	 */
	public static void writePrefixes(BpfMap trie, Collection<Cidr> prefixes, boolean removeOthers) {
		Set<ByteBuffer> wanted = new HashSet<>();
		for (Cidr prefix : prefixes) {
			byte[] key = key(prefix);
			wanted.add(ByteBuffer.wrap(key));
			trie.update(key, new byte[] { 1 }, BpfMap.ANY);
		}
		if (!removeOthers) {
			return;
		}
		for (byte[] key : trie.keys()) {
			if (!wanted.contains(ByteBuffer.wrap(key))) {
				trie.delete(key);
			}
		}
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
