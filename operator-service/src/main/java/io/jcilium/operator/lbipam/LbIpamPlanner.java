package io.jcilium.operator.lbipam;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.operator.lbipam.LbIpamPlan.ServiceResult;
import io.jcilium.operator.lbipam.LbService.Family;

/**
 * The LB-IPAM rules: given every pool and every LoadBalancer Service (with the addresses
 * it holds now), compute the addresses and conditions each should have.
 * <p>
 * The computation is level-triggered: it starts from nothing each time, so it can be run
 * after any change, or none, with the same answer. Stability comes from the input: an
 * address a service already holds is kept while it is still valid (its pool exists, does
 * not conflict and selects the service; a disabled pool keeps what it gave out), and when
 * two services hold the same address the older keeps it. Only then are specific requests
 * and, last, new addresses served. A request that cannot be met is reported in the
 * condition; the service is never given a different address instead.
 */
public final class LbIpamPlanner {

	/**
	 * Compute the plan.
	 * @param pools every pool
	 * @param services every Service LB-IPAM is responsible for
	 * @return the desired state
	 */
	public LbIpamPlan plan(List<LbPool> pools, List<LbService> services) {
		PoolSet poolSet = new PoolSet(pools);
		List<LbService> ordered = new ArrayList<>(services);
		ordered.sort(Comparator.comparingLong(LbService::creationOrder).thenComparing(LbService::key));
		Map<String, SharingGroup> groups = new HashMap<>();
		Map<String, List<SharingGroup>> held = new HashMap<>();
		for (LbService service : ordered) {
			held.put(service.key(), keepCurrent(service, poolSet, groups));
		}
		Map<String, ServiceResult> results = new LinkedHashMap<>();
		for (LbService service : ordered) {
			List<SharingGroup> assigned = held.get(service.key());
			LbCondition condition = service.requestedIps().isEmpty() ? serveFamilies(service, poolSet, groups, assigned)
					: serveRequests(service, poolSet, groups, assigned);
			results.put(service.key(),
					new ServiceResult(assigned.stream().map((group) -> group.address).toList(), condition));
		}
		return new LbIpamPlan(results, poolSet.conditions());
	}

	private List<SharingGroup> keepCurrent(LbService service, PoolSet pools, Map<String, SharingGroup> groups) {
		List<SharingGroup> kept = new ArrayList<>();
		List<BigInteger> requested = requestedValues(service);
		for (String ip : service.currentIps()) {
			BigInteger value;
			int bits;
			try {
				value = AddressRange.value(ip);
				bits = AddressRange.bitsOf(ip);
			}
			catch (IllegalArgumentException ignored) {
				// Not an address we could have written: drop it from the status.
				continue;
			}
			boolean wanted = requested.isEmpty()
					? service.families().contains(family(bits))
							&& kept.stream().noneMatch((group) -> group.origin.range.bits() == bits)
					: requested.contains(value);
			RangeState origin = wanted ? pools.find(value, bits, service, true) : null;
			SharingGroup group = (origin != null) ? join(service, value, origin, groups) : null;
			if (group != null) {
				kept.add(group);
			}
		}
		return kept;
	}

	private LbCondition serveRequests(LbService service, PoolSet pools, Map<String, SharingGroup> groups,
			List<SharingGroup> assigned) {
		LbCondition failure = null;
		for (String ip : service.requestedIps()) {
			BigInteger value;
			int bits;
			try {
				value = AddressRange.value(ip);
				bits = AddressRange.bitsOf(ip);
			}
			catch (IllegalArgumentException ignored) {
				failure = LbCondition.unsatisfied("invalid_ip", "The requested IP '" + ip + "' is not an IP address");
				continue;
			}
			if (assigned.stream().anyMatch((group) -> group.value.equals(value))) {
				continue;
			}
			RangeState origin = pools.find(value, bits, service, false);
			if (origin == null) {
				failure = pools.anyHolds(value, bits)
						? LbCondition.unsatisfied("pool_selector_mismatch",
								"The pool with the CIDR containing '" + ip
										+ "' is disabled or doesn't select this service")
						: LbCondition.unsatisfied("no_pool", "No pool exists with a CIDR containing '" + ip + "'");
				continue;
			}
			SharingGroup existing = groups.get(SharingGroup.key(value, bits));
			if (existing != null && service.sharingKey() == null) {
				failure = LbCondition.unsatisfied("already_allocated",
						"The IP '" + ip + "' is already allocated to another service");
				continue;
			}
			String incompatibility = (existing != null) ? existing.incompatibilityWith(service) : null;
			if (incompatibility != null) {
				failure = LbCondition.unsatisfied("already_allocated_incompatible_service", "The IP '" + ip
						+ "' is already allocated to an incompatible service. Reason: " + incompatibility);
				continue;
			}
			assigned.add(join(service, value, origin, groups));
		}
		return (failure != null) ? failure : LbCondition.satisfied();
	}

	private LbCondition serveFamilies(LbService service, PoolSet pools, Map<String, SharingGroup> groups,
			List<SharingGroup> assigned) {
		LbCondition failure = null;
		for (Family family : List.of(Family.IPV4, Family.IPV6)) {
			boolean has = assigned.stream().anyMatch((group) -> group.isIpv4() == (family == Family.IPV4));
			if (!service.families().contains(family) || has) {
				continue;
			}
			SharingGroup shared = findShareable(service, family, groups);
			if (shared != null) {
				shared.members.add(service);
				assigned.add(shared);
				continue;
			}
			boolean anyPool = false;
			SharingGroup allocated = null;
			for (RangeState state : pools.usableRanges()) {
				if (state.range.isIpv4() != (family == Family.IPV4) || state.pool.disabled()
						|| !state.pool.selects(service)) {
					continue;
				}
				anyPool = true;
				BigInteger value = state.takeNext();
				if (value != null) {
					allocated = join(service, value, state, groups);
					break;
				}
			}
			if (allocated != null) {
				assigned.add(allocated);
			}
			else if (!anyPool && service.preferDualStack()) {
				// PreferDualStack takes the families that pools exist for; the missing
				// one is picked up in a later pass once a pool for it appears.
				continue;
			}
			else {
				failure = anyPool
						? LbCondition.unsatisfied("out_of_ips",
								"All enabled CiliumLoadBalancerIPPools that match this service ran out of allocatable "
										+ familyName(family) + " IPs")
						: LbCondition.unsatisfied("no_pool",
								"There are no enabled CiliumLoadBalancerIPPools that match " + "this service" + " for "
										+ familyName(family));
			}
		}
		if (failure == null && assigned.isEmpty()) {
			failure = LbCondition.unsatisfied("no_pool",
					"There are no enabled CiliumLoadBalancerIPPools that match this service");
		}
		return (failure != null) ? failure : LbCondition.satisfied();
	}

	private SharingGroup findShareable(LbService service, Family family, Map<String, SharingGroup> groups) {
		if (service.sharingKey() == null) {
			return null;
		}
		return groups.values()
			.stream()
			.filter((group) -> group.isIpv4() == (family == Family.IPV4))
			.filter((group) -> group.origin.pool.selects(service) && !group.origin.pool.disabled())
			.filter((group) -> group.incompatibilityWith(service) == null)
			.min(Comparator.comparing((SharingGroup group) -> group.value))
			.orElse(null);
	}

	// Put the service on the address, creating its group; null if the address is held
	// by services it cannot share with.
	private SharingGroup join(LbService service, BigInteger value, RangeState origin,
			Map<String, SharingGroup> groups) {
		String key = SharingGroup.key(value, origin.range.bits());
		SharingGroup group = groups.get(key);
		if (group == null) {
			group = new SharingGroup(value, origin);
			origin.take(value);
			groups.put(key, group);
		}
		else if (group.incompatibilityWith(service) != null) {
			return null;
		}
		group.members.add(service);
		return group;
	}

	private static List<BigInteger> requestedValues(LbService service) {
		List<BigInteger> values = new ArrayList<>();
		for (String ip : service.requestedIps()) {
			try {
				values.add(AddressRange.value(ip));
			}
			catch (IllegalArgumentException ignored) {
				// Reported when the request is served.
			}
		}
		return values;
	}

	private static Family family(int bits) {
		return (bits == 32) ? Family.IPV4 : Family.IPV6;
	}

	private static String familyName(Family family) {
		return (family == Family.IPV4) ? "IPv4" : "IPv6";
	}

}
