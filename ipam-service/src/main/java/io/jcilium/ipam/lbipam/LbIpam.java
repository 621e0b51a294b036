package io.jcilium.ipam.lbipam;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jcilium.ipam.block.Family;

/**
 * One level-triggered LB-IPAM pass: from the pools, the services and the addresses they
 * hold now, compute the addresses they should hold and the conditions to report. Rules:
 * existing valid assignments stay; a requested address is granted or refused with a
 * condition, never replaced by another; services with the same sharing key share an
 * address when their ports do not clash; a pool overlapping an older pool is marked
 * conflicting and serves nothing new; a disabled pool keeps its assignments only.
 */
public final class LbIpam {

	private LbIpam() {
	}

	/**
	 * @param pools the pools, oldest first (an overlap is blamed on the newer pool)
	 * @param services the LoadBalancer services
	 * @param current the addresses each service key holds now (its status)
	 */
	public static LbAssignment assign(List<LbPool> pools, Collection<LbService> services,
			Map<String, List<String>> current) {
		Map<String, LbCondition> poolConditions = new TreeMap<>();
		Map<LbPool, List<IpRange>> usable = usablePools(pools, poolConditions);
		Holders holders = new Holders();
		Map<String, List<String>> ips = new TreeMap<>();
		Map<String, LbCondition> conditions = new TreeMap<>();
		List<LbService> ordered = services.stream().sorted((a, b) -> a.key().compareTo(b.key())).toList();
		for (LbService service : ordered) {
			List<String> kept = new ArrayList<>();
			for (String ip : canonical(current.getOrDefault(service.key(), List.of()))) {
				if (stillValid(service, ip, usable, holders)) {
					holders.add(ip, service);
					kept.add(ip);
				}
			}
			ips.put(service.key(), kept);
		}
		Map<LbPool, Map<IpRange, BigInteger>> cursors = new HashMap<>();
		for (LbService service : ordered) {
			List<String> held = ips.get(service.key());
			LbCondition condition = service.requestedIps().isEmpty() ? allocate(service, held, usable, holders, cursors)
					: grantRequested(service, held, usable, holders);
			conditions.put(service.key(), condition);
		}
		return new LbAssignment(ips, conditions, poolConditions);
	}

	private static Map<LbPool, List<IpRange>> usablePools(List<LbPool> pools, Map<String, LbCondition> conditions) {
		Map<LbPool, List<IpRange>> usable = new LinkedHashMap<>();
		for (LbPool pool : pools) {
			List<IpRange> ranges = new ArrayList<>();
			String problem = null;
			try {
				for (LbPool.Block block : pool.blocks()) {
					ranges.add(IpRange.of(block, pool.allowFirstLastIps()));
				}
			}
			catch (IllegalArgumentException ex) {
				problem = "invalid block: " + ex.getMessage();
			}
			for (Map.Entry<LbPool, List<IpRange>> older : usable.entrySet()) {
				for (IpRange range : ranges) {
					for (IpRange other : older.getValue()) {
						if (problem == null && range.overlaps(other)) {
							problem = "range " + range + " overlaps " + other + " of pool '" + older.getKey().name()
									+ "'";
						}
					}
				}
			}
			if (problem != null) {
				conditions.put(pool.name(), new LbCondition(LbCondition.POOL_CONFLICT, "True", "conflict", problem));
				continue;
			}
			usable.put(pool, ranges);
		}
		return usable;
	}

	private static boolean stillValid(LbService service, String ip, Map<LbPool, List<IpRange>> usable,
			Holders holders) {
		if (!service.requestedIps().isEmpty() && !canonical(service.requestedIps()).contains(ip)) {
			return false;
		}
		try {
			return poolOf(service, ip, usable, true) != null && holders.compatible(ip, service);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static LbCondition grantRequested(LbService service, List<String> held, Map<LbPool, List<IpRange>> usable,
			Holders holders) {
		for (String ip : canonical(service.requestedIps())) {
			if (held.contains(ip)) {
				continue;
			}
			String pool;
			try {
				pool = poolOf(service, ip, usable, false);
			}
			catch (IllegalArgumentException ex) {
				return LbCondition.unsatisfied("invalid_request", "requested IP '" + ip + "' is not an address");
			}
			if (pool == null) {
				return LbCondition.unsatisfied("no_pool",
						"requested IP " + ip + " is in no enabled, non-conflicting pool that selects this service");
			}
			if (!holders.compatible(ip, service)) {
				return LbCondition.unsatisfied("already_allocated",
						"requested IP " + ip + " is already used by " + holders.describe(ip));
			}
			holders.add(ip, service);
			held.add(ip);
		}
		return LbCondition.satisfied("assigned " + String.join(", ", held));
	}

	private static LbCondition allocate(LbService service, List<String> held, Map<LbPool, List<IpRange>> usable,
			Holders holders, Map<LbPool, Map<IpRange, BigInteger>> cursors) {
		for (Family family : service.families()) {
			if (held.stream().anyMatch((ip) -> IpRange.address(ip).family() == family)) {
				continue;
			}
			String ip = holders.shareable(service, family, (candidate) -> poolOf(service, candidate, usable, false));
			if (ip == null) {
				ip = free(service, family, usable, holders, cursors);
			}
			if (ip == null) {
				boolean anyPool = usable.entrySet()
					.stream()
					.anyMatch((entry) -> !entry.getKey().disabled()
							&& entry.getKey().serviceSelector().test(service.labels())
							&& entry.getValue().stream().anyMatch((range) -> range.family() == family));
				return anyPool
						? LbCondition.unsatisfied("out_of_ips",
								"every pool selecting this service is out of " + family.displayName() + " addresses")
						: LbCondition.unsatisfied("no_pool",
								"no enabled pool with " + family.displayName() + " addresses selects this service");
			}
			holders.add(ip, service);
			held.add(ip);
		}
		return LbCondition.satisfied("assigned " + String.join(", ", held));
	}

	private static String free(LbService service, Family family, Map<LbPool, List<IpRange>> usable, Holders holders,
			Map<LbPool, Map<IpRange, BigInteger>> cursors) {
		for (Map.Entry<LbPool, List<IpRange>> entry : usable.entrySet()) {
			LbPool pool = entry.getKey();
			if (pool.disabled() || !pool.serviceSelector().test(service.labels())) {
				continue;
			}
			for (IpRange range : entry.getValue()) {
				if (range.family() != family) {
					continue;
				}
				Map<IpRange, BigInteger> poolCursors = cursors.computeIfAbsent(pool, (key) -> new HashMap<>());
				BigInteger next = poolCursors.getOrDefault(range, range.first());
				while (next.compareTo(range.last()) <= 0) {
					String ip = IpRange.format(family, next);
					next = next.add(BigInteger.ONE);
					if (!holders.isHeld(ip)) {
						poolCursors.put(range, next);
						return ip;
					}
				}
				poolCursors.put(range, next);
			}
		}
		return null;
	}

	/** Addresses in the form used as keys; text that is no address is kept as is. */
	private static List<String> canonical(List<String> ips) {
		List<String> result = new ArrayList<>(ips.size());
		for (String ip : ips) {
			try {
				var address = IpRange.address(ip);
				result.add(IpRange.format(address.family(), address.network()));
			}
			catch (IllegalArgumentException ex) {
				result.add(ip);
			}
		}
		return result;
	}

	/** Name of the pool serving {@code ip} for the service, or null. */
	private static String poolOf(LbService service, String ip, Map<LbPool, List<IpRange>> usable,
			boolean allowDisabled) {
		var address = IpRange.address(ip);
		for (Map.Entry<LbPool, List<IpRange>> entry : usable.entrySet()) {
			LbPool pool = entry.getKey();
			if ((pool.disabled() && !allowDisabled) || !pool.serviceSelector().test(service.labels())) {
				continue;
			}
			if (entry.getValue().stream().anyMatch((range) -> range.contains(address.family(), address.network()))) {
				return pool.name();
			}
		}
		return null;
	}

}
