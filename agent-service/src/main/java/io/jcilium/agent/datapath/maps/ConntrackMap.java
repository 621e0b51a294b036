package io.jcilium.agent.datapath.maps;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jcilium.agent.datapath.libbpf.BpfMap;

/**
 * The node's connection-tracking table (LRU hash) and its per-endpoint accounting. The
 * datapath ignores expired entries and the LRU evicts under pressure;
 * {@link #removeExpired(long)} frees them earlier and settles how many entries each
 * endpoint still holds, which the datapath keeps under the endpoint's share
 * (CT_ENDPOINT_MAX) so that one pod cannot push the others' connections out.
 */
public final class ConntrackMap {

	private final BpfMap map;

	private final BpfMap created;

	private final BpfMap released;

	/**
	 * Wraps the maps.
	 * @param map {@code ct}
	 * @param created {@code ct_created}: entries each endpoint's program inserted
	 * (written by the datapath only)
	 * @param released {@code ct_released}: entries of each endpoint gone since (written
	 * here only)
	 */
	public ConntrackMap(BpfMap map, BpfMap created, BpfMap released) {
		PolicyMap.requireLayout(map, DatapathStructs.CtKey.LAYOUT, DatapathStructs.CtEntry.LAYOUT);
		this.map = map;
		this.created = created;
		this.released = released;
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
	 * Deletes entries whose expiry has passed, then records for every endpoint how many
	 * of the entries it created are gone (expired, deleted or evicted by the LRU):
	 * created as read before the walk minus what the walk found. An entry created during
	 * the walk may be counted as held until the next sweep, never the other way round, so
	 * an endpoint is never credited with room it does not have.
	 * @param nowMonotonicSec now on CLOCK_MONOTONIC in seconds (the clock of
	 * bpf_ktime_get_ns)
	 * @return how many were deleted
	 */
	public int removeExpired(long nowMonotonicSec) {
		Map<Integer, Long> createdBefore = counters(this.created);
		Map<Integer, Long> held = new HashMap<>();
		int removed = 0;
		for (byte[] key : this.map.keys()) {
			byte[] value = this.map.lookup(key);
			if (value == null) {
				continue;
			}
			if (DatapathStructs.CtEntry.decode(value).expiresSec() <= nowMonotonicSec && this.map.delete(key)) {
				removed++;
			}
			else {
				held.merge(DatapathStructs.CtKey.decode(key).endpointId(), 1L, Long::sum);
			}
		}
		createdBefore.forEach((endpointId, count) -> {
			long gone = Math.max(0, count - held.getOrDefault(endpointId, 0L));
			this.released.update(DatapathStructs.CtCounter.key(endpointId),
					new DatapathStructs.CtCounter(gone).encode(), BpfMap.ANY);
		});
		return removed;
	}

	/**
	 * How many entries an endpoint holds as the datapath counts them (created minus
	 * released at the last sweep).
	 * @param endpointId the endpoint
	 * @return the count
	 */
	public long heldBy(int endpointId) {
		return count(this.created, endpointId) - count(this.released, endpointId);
	}

	/**
	 * Writes an entry (tests and state restore).
	 * @param key the tuple
	 * @param entry the state
	 */
	public void put(DatapathStructs.CtKey key, DatapathStructs.CtEntry entry) {
		this.map.update(key.encode(), entry.encode(), BpfMap.ANY);
	}

	private static Map<Integer, Long> counters(BpfMap counters) {
		Map<Integer, Long> values = new HashMap<>();
		for (byte[] key : counters.keys()) {
			byte[] value = counters.lookup(key);
			if (value != null) {
				values.put(DatapathStructs.CtCounter.decodeKey(key), DatapathStructs.CtCounter.decode(value).entries());
			}
		}
		return values;
	}

	private static long count(BpfMap counters, int endpointId) {
		byte[] value = counters.lookup(DatapathStructs.CtCounter.key(endpointId));
		return (value != null) ? DatapathStructs.CtCounter.decode(value).entries() : 0;
	}

}
