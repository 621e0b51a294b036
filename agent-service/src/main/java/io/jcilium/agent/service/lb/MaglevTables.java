package io.jcilium.agent.service.lb;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Keeps the Maglev tables of a service's external-scope frontends (NodePort,
 * LoadBalancer, ExternalIP) in step with their backends, for the tc LB of traffic from
 * outside; in-cluster traffic is balanced at the socket and has no table (as upstream,
 * which provisions Maglev for external frontends only). Off when the table size is 0.
 */
final class MaglevTables {

	private final LbMaps maps;

	private final int tableSize;

	/**
	 * @param maps where the tables go
	 * @param tableSize M, or 0 for random selection (no tables)
	 */
	MaglevTables(LbMaps maps, int tableSize) {
		if (tableSize != 0 && !Maglev.isValidTableSize(tableSize)) {
			throw new IllegalArgumentException("Maglev table size must be a prime between " + Maglev.MIN_TABLE_SIZE
					+ " and " + Maglev.MAX_TABLE_SIZE + ", got " + tableSize);
		}
		this.maps = maps;
		this.tableSize = tableSize;
	}

	/**
	 * Writes the frontend's table if it has one and its backends changed. Called after
	 * the backends are in the backend map and before the master counts them.
	 * @param before the frontend as last written, or null
	 * @param after the frontend now
	 * @param reverseNat its rev NAT index
	 * @param backendIds backend -> id
	 */
	void write(LbFrontend before, LbFrontend after, int reverseNat, ToIntFunction<L4Address> backendIds) {
		if (!hasTable(after) || (before != null && before.backends().equals(after.backends()))) {
			return;
		}
		if (after.backends().isEmpty()) {
			if (before != null && !before.backends().isEmpty()) {
				this.maps.deleteMaglevTable(reverseNat);
			}
			return;
		}
		List<L4Address> table = Maglev.table(after.backends(), this.tableSize);
		int[] ids = new int[table.size()];
		for (int i = 0; i < ids.length; i++) {
			ids[i] = backendIds.applyAsInt(table.get(i));
		}
		this.maps.putMaglevTable(reverseNat, ids);
	}

	/**
	 * Deletes the table of a frontend the service no longer has.
	 * @param gone the frontend as last written
	 * @param reverseNat its rev NAT index
	 */
	void remove(LbFrontend gone, int reverseNat) {
		if (hasTable(gone) && !gone.backends().isEmpty()) {
			this.maps.deleteMaglevTable(reverseNat);
		}
	}

	boolean hasTable(LbFrontend frontend) {
		return this.tableSize > 0 && frontend.kind().isExternal() && frontend.key().scope() == Scope.EXTERNAL;
	}

}
