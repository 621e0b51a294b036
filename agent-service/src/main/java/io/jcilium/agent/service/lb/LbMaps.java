package io.jcilium.agent.service.lb;

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

}
