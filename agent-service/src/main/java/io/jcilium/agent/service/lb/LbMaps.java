package io.jcilium.agent.service.lb;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the load balancer's programmer needs from the datapath's LB maps
 * ({@code bpf/lib/lb.h}); the real maps and an in-memory fake implement it. Every call
 * writes or deletes one entry.
 */
public interface LbMaps {

	/**
	 * Writes a backend.
	 * @param id 1..backend capacity
	 * @param backend where connections go
	 */
	void putBackend(int id, L4Address backend);

	void deleteBackend(int id);

	/**
	 * Writes a reverse NAT entry.
	 * @param index 1..65535
	 * @param frontend the address replies appear to come from
	 */
	void putReverseNat(int index, L4Address frontend);

	void deleteReverseNat(int index);

	/**
	 * Writes a frontend's master entry (slot 0).
	 * @param key the frontend
	 * @param master count, flags, rev NAT index, affinity timeout
	 */
	void putMaster(FrontendKey key, Master master);

	/**
	 * Writes one backend slot of a frontend.
	 * @param key the frontend
	 * @param slot 1..count
	 * @param backendId the backend
	 */
	void putSlot(FrontendKey key, int slot, int backendId);

	/**
	 * Deletes a master ({@code slot} 0) or a backend slot.
	 * @param key the frontend
	 * @param slot the slot
	 */
	void deleteSlot(FrontendKey key, int slot);

	/**
	 * Marks a backend as still belonging to a service with affinity.
	 * @param backendId the backend
	 * @param reverseNat the service's rev NAT index
	 */
	void putAffinityMatch(int backendId, int reverseNat);

	void deleteAffinityMatch(int backendId, int reverseNat);

	/**
	 * Writes the Maglev lookup table of an external frontend (the tc LB of traffic from
	 * outside picks from it when Maglev is on).
	 * @param reverseNat the frontend's rev NAT index
	 * @param backendIds the table: M backend ids
	 */
	void putMaglevTable(int reverseNat, int[] backendIds);

	void deleteMaglevTable(int reverseNat);

	/**
	 * Reads back every entry the maps hold: a restarted agent takes over what its
	 * predecessor programmed instead of starting from empty maps (connections to services
	 * keep working until the services are synced again).
	 * @return the entries
	 */
	Contents contents();

	/**
	 * How many entries each map can hold.
	 * @return the capacities
	 */
	Capacity capacity();

	/**
	 * The master entry of a frontend.
	 *
	 * @param count backend slots
	 * @param reverseNat rev NAT index
	 * @param flags {@code SVC_F_*}
	 * @param affinityTimeoutSeconds with affinity, else 0
	 */
	record Master(int count, int reverseNat, int flags, int affinityTimeoutSeconds) {

	}

	/**
	 * Map sizes.
	 *
	 * @param serviceEntries the service map (masters and slots)
	 * @param backends the backend map
	 * @param reverseNat the rev NAT map
	 */
	record Capacity(int serviceEntries, int backends, int reverseNat) {

	}

	/**
	 * Every entry of the LB maps, decoded.
	 *
	 * @param masters frontend -> its master entry (slot 0)
	 * @param slots frontend -> slot (from 1) -> backend id
	 * @param backends backend id -> backend
	 * @param reverseNat rev NAT index -> frontend address and port (the entry has no
	 * protocol)
	 * @param affinityMatches (backend id, rev NAT index) pairs
	 * @param maglevTables rev NAT indexes that have a Maglev table
	 */
	record Contents(Map<FrontendKey, Master> masters, Map<FrontendKey, Map<Integer, Integer>> slots,
			Map<Integer, L4Address> backends, Map<Integer, InetSocketAddress> reverseNat,
			Set<List<Integer>> affinityMatches, Set<Integer> maglevTables) {

		/** Maps holding nothing. */
		public static final Contents EMPTY = new Contents(Map.of(), Map.of(), Map.of(), Map.of(), Set.of(), Set.of());

		public Contents {
			masters = Map.copyOf(masters);
			slots = Map.copyOf(slots);
			backends = Map.copyOf(backends);
			reverseNat = Map.copyOf(reverseNat);
			affinityMatches = Set.copyOf(affinityMatches);
			maglevTables = Set.copyOf(maglevTables);
		}

	}

}
