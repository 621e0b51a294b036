package io.jcilium.agent.datapath.maps;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jcilium.agent.datapath.libbpf.BpfMap;

/**
 * The node's ipcache (LPM trie): IP prefix to security identity and tunnel endpoint.
 */
public final class IpcacheMap {

	private final BpfMap map;

	public IpcacheMap(BpfMap map) {
		PolicyMap.requireLayout(map, DatapathStructs.IpcacheKey.LAYOUT, DatapathStructs.RemoteEndpointInfo.LAYOUT);
		this.map = map;
	}

	/**
	 * Maps a prefix to an identity.
	 * @param address the prefix's address (host bits must be zero)
	 * @param prefixLength 0-32 for IPv4, 0-128 for IPv6
	 * @param identity the security identity
	 * @param tunnelEndpoint the hosting node's IPv4, null for this node or outside the
	 * cluster
	 */
	public void put(InetAddress address, int prefixLength, int identity, Inet4Address tunnelEndpoint) {
		this.map.update(key(address, prefixLength).encode(),
				new DatapathStructs.RemoteEndpointInfo(identity, tunnelEndpoint, 0).encode(), BpfMap.ANY);
	}

	/**
	 * Removes a prefix.
	 * @param address the prefix's address
	 * @param prefixLength its length
	 * @return whether it existed
	 */
	public boolean remove(InetAddress address, int prefixLength) {
		return this.map.delete(key(address, prefixLength).encode());
	}

	/**
	 * Every prefix and what it maps to.
	 * @return the entries
	 */
	public Map<DatapathStructs.IpcacheKey, DatapathStructs.RemoteEndpointInfo> entries() {
		Map<DatapathStructs.IpcacheKey, DatapathStructs.RemoteEndpointInfo> entries = new LinkedHashMap<>();
		for (byte[] key : this.map.keys()) {
			byte[] value = this.map.lookup(key);
			if (value != null) {
				entries.put(DatapathStructs.IpcacheKey.decode(key), DatapathStructs.RemoteEndpointInfo.decode(value));
			}
		}
		return entries;
	}

	private static DatapathStructs.IpcacheKey key(InetAddress address, int prefixLength) {
		int max = (address instanceof Inet6Address) ? 128 : 32;
		if (prefixLength < 0 || prefixLength > max) {
			throw new IllegalArgumentException(
					"prefix length " + prefixLength + " out of 0-" + max + " for " + address);
		}
		return new DatapathStructs.IpcacheKey(address, prefixLength);
	}

}
