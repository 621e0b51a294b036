package io.jcilium.bgp.rib;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;

/**
 * The routes this speaker advertises to every neighbour (our Loc-RIB as far as
 * advertisement goes). Replacing the whole set returns what changed, so only that goes on
 * the wire. Thread-safe.
 */
public final class AdvertisedRoutes {

	private Map<Prefix, RouteAttributes> routes = Map.of();

	/** What changed between two sets. */
	public record Changes(Map<Prefix, RouteAttributes> announced, List<Prefix> withdrawn) {

		public boolean isEmpty() {
			return this.announced.isEmpty() && this.withdrawn.isEmpty();
		}

	}

	/**
	 * Replaces every route.
	 * @param desired the routes to advertise from now on
	 * @return the new or changed routes and the withdrawn prefixes
	 */
	public synchronized Changes replace(Map<Prefix, RouteAttributes> desired) {
		Map<Prefix, RouteAttributes> announced = new HashMap<>();
		desired.forEach((prefix, attributes) -> {
			if (!attributes.equals(this.routes.get(prefix))) {
				announced.put(prefix, attributes);
			}
		});
		List<Prefix> withdrawn = new ArrayList<>();
		for (Prefix prefix : this.routes.keySet()) {
			if (!desired.containsKey(prefix)) {
				withdrawn.add(prefix);
			}
		}
		this.routes = Map.copyOf(desired);
		return new Changes(announced, withdrawn);
	}

	/** Every route, sorted by prefix. */
	public synchronized Map<Prefix, RouteAttributes> all() {
		return new TreeMap<>(this.routes);
	}

	/** Routes of one family. */
	public synchronized Map<Prefix, RouteAttributes> of(AddressFamily family) {
		Map<Prefix, RouteAttributes> ofFamily = new TreeMap<>();
		this.routes.forEach((prefix, attributes) -> {
			if (prefix.family() == family) {
				ofFamily.put(prefix, attributes);
			}
		});
		return ofFamily;
	}

}
