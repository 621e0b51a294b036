package io.jcilium.agent.datapath.maps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.jcilium.agent.datapath.libbpf.BpfMap;

/**
 * The node's {@code policy} map-of-maps: endpoint id -> that endpoint's policy trie. The
 * shared bpf_lxc programs look the trie up here on every policy decision; an endpoint
 * without an entry has every packet that needs one dropped (DROP_NO_CONFIG).
 */
public final class EndpointPolicyMaps {

	private static final int BPF_MAP_TYPE_HASH_OF_MAPS = 13;

	private final BpfMap map;

	public EndpointPolicyMaps(BpfMap map) {
		if (map.type() != BPF_MAP_TYPE_HASH_OF_MAPS || map.keySize() != 4) {
			throw new IllegalArgumentException(
					"map " + map.name() + " is not a hash of maps keyed by endpoint id (type " + map.type() + ", key "
							+ map.keySize() + " bytes): the object and the agent are out of step");
		}
		this.map = map;
	}

	/**
	 * Makes a trie an endpoint's policy (replacing the one it had: the kernel frees that
	 * only after the programs that looked it up are done).
	 * @param endpointId the endpoint id
	 * @param trie the endpoint's policy trie, shaped as the object's template
	 */
	public void put(int endpointId, BpfMap trie) {
		this.map.update(u32(endpointId), u32(trie.fd()), BpfMap.ANY);
	}

	/**
	 * Takes an endpoint's policy away: its programs drop what needs a decision.
	 * @param endpointId the endpoint id
	 * @return whether it had one
	 */
	public boolean remove(int endpointId) {
		return this.map.delete(u32(endpointId));
	}

	/**
	 * Whether an endpoint has a policy trie.
	 * @param endpointId the endpoint id
	 * @return true when it has
	 */
	public boolean contains(int endpointId) {
		return this.map.lookup(u32(endpointId)) != null;
	}

	private static byte[] u32(int value) {
		return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value).array();
	}

}
