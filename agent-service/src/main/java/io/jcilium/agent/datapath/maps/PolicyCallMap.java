package io.jcilium.agent.datapath.maps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalInt;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.BpfProgram;

/**
 * The node's policy call map (a BPF program array, upstream's
 * {@code cilium_call_policy}): endpoint id -> that endpoint's {@code lxc_policy} program.
 * A pod sending to another pod on this node tail-calls the destination's entry, which
 * applies the destination's ingress policy and delivers straight into the destination
 * pod. An endpoint without an entry is reached through the node's routing stack and its
 * to-container hook instead, so registering and removing entries is safe at any time.
 */
public final class PolicyCallMap {

	private static final int BPF_MAP_TYPE_PROG_ARRAY = 3;

	private final BpfMap map;

	public PolicyCallMap(BpfMap map) {
		if (map.type() != BPF_MAP_TYPE_PROG_ARRAY || map.keySize() != 4 || map.valueSize() != 4) {
			throw new IllegalArgumentException("map " + map.name() + " is not a program array (type "
					+ BPF_MAP_TYPE_PROG_ARRAY + ", 4-byte keys and values): type " + map.type());
		}
		this.map = map;
	}

	/**
	 * Points an endpoint's entry at its policy program (atomically replacing an earlier
	 * one, so a reloaded endpoint never misses a packet).
	 * @param endpointId the endpoint id
	 * @param policyProgram the endpoint's lxc_policy program
	 */
	public void register(int endpointId, BpfProgram policyProgram) {
		this.map.update(key(endpointId), u32(policyProgram.fd()), BpfMap.ANY);
	}

	/**
	 * Removes an endpoint's entry; packets to it take the routing stack again.
	 * @param endpointId the endpoint id
	 * @return whether there was one
	 */
	public boolean remove(int endpointId) {
		return this.map.delete(key(endpointId));
	}

	/**
	 * The kernel id of the program registered for an endpoint.
	 * @param endpointId the endpoint id
	 * @return the program id, empty when none is registered
	 */
	public OptionalInt programId(int endpointId) {
		byte[] value = this.map.lookup(key(endpointId));
		return (value != null) ? OptionalInt.of(ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt())
				: OptionalInt.empty();
	}

	private byte[] key(int value) {
		if (value < 0 || value >= this.map.maxEntries()) {
			throw new IllegalArgumentException("endpoint id " + value + " outside 0-" + (this.map.maxEntries() - 1));
		}
		return u32(value);
	}

	private static byte[] u32(int value) {
		return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value).array();
	}

}
