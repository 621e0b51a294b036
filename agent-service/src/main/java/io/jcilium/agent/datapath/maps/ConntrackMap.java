package io.jcilium.agent.datapath.maps;

import java.util.LinkedHashMap;
import java.util.Map;

import io.jcilium.agent.datapath.libbpf.BpfMap;

/**
 * The node's connection-tracking table (LRU hash). The datapath ignores expired entries
 * and the LRU evicts under pressure; {@link #removeExpired(long)} frees them earlier.
 */
public final class ConntrackMap {

	private final BpfMap map;

	public ConntrackMap(BpfMap map) {
		PolicyMap.requireLayout(map, DatapathStructs.CtKey.LAYOUT, DatapathStructs.CtEntry.LAYOUT);
		this.map = map;
	}

	/**
	 * Every tracked connection.
	 * @return the entries
	 */
	public Map<DatapathStructs.CtKey, DatapathStructs.CtEntry> entries() {
		Map<DatapathStructs.CtKey, DatapathStructs.CtEntry> entries = new LinkedHashMap<>();
		for (byte[] key : this.map.keys()) {
			byte[] value = this.map.lookup(key);
			if (value != null) {
				entries.put(DatapathStructs.CtKey.decode(key), DatapathStructs.CtEntry.decode(value));
			}
		}
		return entries;
	}

	/**
	 * Deletes entries whose expiry has passed.
	 * @param nowMonotonicSec now on CLOCK_MONOTONIC in seconds (the clock of
	 * bpf_ktime_get_ns)
	 * @return how many were deleted
	 */
	public int removeExpired(long nowMonotonicSec) {
		int removed = 0;
		for (byte[] key : this.map.keys()) {
			byte[] value = this.map.lookup(key);
			if (value != null && DatapathStructs.CtEntry.decode(value).expiresSec() <= nowMonotonicSec
					&& this.map.delete(key)) {
				removed++;
			}
		}
		return removed;
	}

	/**
	 * Writes an entry (tests and state restore).
	 * @param key the tuple
	 * @param entry the state
	 */
	public void put(DatapathStructs.CtKey key, DatapathStructs.CtEntry entry) {
		this.map.update(key.encode(), entry.encode(), BpfMap.ANY);
	}

}
