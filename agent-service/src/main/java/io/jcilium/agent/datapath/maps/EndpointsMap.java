package io.jcilium.agent.datapath.maps;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jcilium.agent.datapath.libbpf.BpfMap;

/**
 * The node's local endpoints by IP.
 */
public final class EndpointsMap {

	private final BpfMap map;

	public EndpointsMap(BpfMap map) {
		PolicyMap.requireLayout(map, DatapathStructs.EndpointKey.LAYOUT, DatapathStructs.EndpointInfo.LAYOUT);
		this.map = map;
	}

	/**
	 * Registers one of an endpoint's addresses.
	 * @param address the endpoint's IP
	 * @param info where and who it is
	 */
	public void put(InetAddress address, DatapathStructs.EndpointInfo info) {
		this.map.update(new DatapathStructs.EndpointKey(address).encode(), info.encode(), BpfMap.ANY);
	}

	/**
	 * Removes an address.
	 * @param address the IP
	 * @return whether it existed
	 */
	public boolean remove(InetAddress address) {
		return this.map.delete(new DatapathStructs.EndpointKey(address).encode());
	}

	/**
	 * Every registered address.
	 * @return the entries
	 */
	public Map<InetAddress, DatapathStructs.EndpointInfo> entries() {
		Map<InetAddress, DatapathStructs.EndpointInfo> entries = new LinkedHashMap<>();
		for (byte[] key : this.map.keys()) {
			byte[] value = this.map.lookup(key);
			if (value != null) {
				entries.put(DatapathStructs.EndpointKey.decode(key).address(),
						DatapathStructs.EndpointInfo.decode(value));
			}
		}
		return entries;
	}

}
