package io.jcilium.ipam.lbipam;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.jcilium.ipam.block.Family;

/**
 * Which services hold which address during one pass, and the sharing rule: an address may
 * be shared only by services with the same sharing key whose {@code protocol/port} pairs
 * do not clash.
 */
final class Holders {

	private final Map<String, List<LbService>> byIp = new HashMap<>();

	boolean isHeld(String ip) {
		return this.byIp.containsKey(ip);
	}

	void add(String ip, LbService service) {
		this.byIp.computeIfAbsent(ip, (key) -> new ArrayList<>()).add(service);
	}

	boolean compatible(String ip, LbService service) {
		List<LbService> holders = this.byIp.get(ip);
		if (holders == null) {
			return true;
		}
		if (service.sharingKey() == null) {
			return false;
		}
		for (LbService holder : holders) {
			if (!service.sharingKey().equals(holder.sharingKey())
					|| holder.ports().stream().anyMatch(service.ports()::contains)) {
				return false;
			}
		}
		return true;
	}

	/** An address the service may share, from a pool that serves it; or null. */
	String shareable(LbService service, Family family, Function<String, String> poolOf) {
		if (service.sharingKey() == null) {
			return null;
		}
		for (String ip : this.byIp.keySet().stream().sorted().toList()) {
			if (IpRange.address(ip).family() == family && compatible(ip, service) && poolOf.apply(ip) != null) {
				return ip;
			}
		}
		return null;
	}

	String describe(String ip) {
		return this.byIp.getOrDefault(ip, List.of()).stream().map(LbService::key).collect(Collectors.joining(", "));
	}

}
