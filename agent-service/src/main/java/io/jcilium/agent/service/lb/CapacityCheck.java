package io.jcilium.agent.service.lb;

import java.util.Map;
import java.util.Set;

/**
 * Whether one service change fits the LB maps, counted at its peak: new slots and
 * backends are written before stale ones are deleted, so both live together for a moment.
 */
final class CapacityCheck {

	private final ServiceName name;

	private final LbMaps.Capacity capacity;

	private final int serviceEntries;

	CapacityCheck(ServiceName name, LbMaps.Capacity capacity, int serviceEntries) {
		this.name = name;
		this.capacity = capacity;
		this.serviceEntries = serviceEntries;
	}

	void check(Map<FrontendKey, LbFrontend> old, Map<FrontendKey, LbFrontend> next, IdPool<L4Address> backendIds,
			IdPool<L4Address> reverseNatIds) {
		int added = 0;
		for (LbFrontend frontend : next.values()) {
			LbFrontend before = old.get(frontend.key());
			added += (before == null) ? 1 + frontend.backends().size()
					: Math.max(0, frontend.backends().size() - before.backends().size());
		}
		int free = this.capacity.serviceEntries() - this.serviceEntries;
		if (added > free) {
			throw full("service map", added, free, this.capacity.serviceEntries(), "jcilium.service.service-map-size");
		}
		requireIds("backend map", LbProgrammer.backendsOf(next.values()), backendIds,
				"jcilium.service.backend-map-size");
		requireIds("rev NAT map", LbProgrammer.reverseNatOf(next.values()), reverseNatIds,
				"jcilium.service.rev-nat-map-size");
	}

	private void requireIds(String map, Set<L4Address> wanted, IdPool<L4Address> pool, String property) {
		long missing = wanted.stream().filter((value) -> pool.find(value).isEmpty()).count();
		if (missing > pool.available()) {
			throw full(map, (int) missing, pool.available(), pool.available() + pool.inUse(), property);
		}
	}

	private LbMapFullException full(String map, int needed, int free, int size, String property) {
		return new LbMapFullException("service " + this.name + " needs " + needed + " more " + map
				+ " entries but only " + free + " of " + size + " are free: raise " + property
				+ " or remove services; the service keeps what was programmed before");
	}

}
