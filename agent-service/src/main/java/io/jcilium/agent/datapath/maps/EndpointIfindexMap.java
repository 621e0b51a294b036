package io.jcilium.agent.datapath.maps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalInt;

import io.jcilium.agent.datapath.libbpf.BpfMap;

/**
 * The node's {@code lxc_ifindex} map: host-side veth ifindex -> endpoint id. It is how
 * the one bpf_lxc program pair attached to every endpoint's veth knows whose packet it
 * runs for; a veth without an entry (or whose endpoint's settings name another veth) has
 * every packet dropped (DROP_NO_CONFIG).
 */
public final class EndpointIfindexMap {

	private final BpfMap map;

	public EndpointIfindexMap(BpfMap map) {
		if (map.keySize() != 4 || map.valueSize() != 4) {
			throw new IllegalArgumentException(
					"map " + map.name() + " has key/value " + map.keySize() + "/" + map.valueSize()
							+ " bytes but ifindex/endpoint id are 4/4: the object and the agent are out of step");
		}
		this.map = map;
	}

	/**
	 * Binds a veth to an endpoint (replacing what the ifindex was bound to).
	 * @param ifindex the host-side veth's ifindex
	 * @param endpointId the endpoint id
	 */
	public void put(int ifindex, int endpointId) {
		this.map.update(u32(ifindex), u32(endpointId), BpfMap.ANY);
	}

	/**
	 * The endpoint a veth is bound to.
	 * @param ifindex the host-side veth's ifindex
	 * @return the endpoint id, empty when none
	 */
	public OptionalInt get(int ifindex) {
		byte[] value = this.map.lookup(u32(ifindex));
		return (value != null) ? OptionalInt.of(ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt())
				: OptionalInt.empty();
	}

	/**
	 * Unbinds a veth, but only from this endpoint: an ifindex the kernel gave to another
	 * endpoint's veth since stays bound to that one.
	 * @param ifindex the host-side veth's ifindex
	 * @param endpointId the endpoint it should be bound to
	 */
	public void removeIfBound(int ifindex, int endpointId) {
		OptionalInt bound = get(ifindex);
		if (bound.isPresent() && bound.getAsInt() == endpointId) {
			this.map.delete(u32(ifindex));
		}
	}

	private static byte[] u32(int value) {
		return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value).array();
	}

}
