package io.jcilium.bgp.rib;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;

/**
 * The routes this speaker advertises to every neighbour (our Loc-RIB as far as
 * advertisement goes). Replacing the whole set returns what changed, so only that goes on
 * the wire. Thread-safe.
 * <p>
 * A replace also groups the routes of each family by their attributes, in the order the
 * caller gave them: that is how a session that comes up packs its whole table into
 * UPDATEs (one set of attributes per UPDATE), so the work is done once per change, before
 * any session needs it, and not again for every session that comes up.
 */
public final class AdvertisedRoutes {

	private Map<Prefix, RouteAttributes> routes = Map.of();

	private Map<AddressFamily, Map<RouteAttributes, List<Prefix>>> byAttributes = Map.of();

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
		Map<AddressFamily, Map<RouteAttributes, List<Prefix>>> groups = new EnumMap<>(AddressFamily.class);
		Grouper grouper = new Grouper(groups);
		desired.forEach((prefix, attributes) -> {
			if (!attributes.equals(this.routes.get(prefix))) {
				announced.put(prefix, attributes);
			}
			grouper.add(prefix, attributes);
		});
		List<Prefix> withdrawn = new ArrayList<>();
		for (Prefix prefix : this.routes.keySet()) {
			if (!desired.containsKey(prefix)) {
				withdrawn.add(prefix);
			}
		}
		this.routes = Map.copyOf(desired);
		groups.replaceAll((family, byFamily) -> Collections.unmodifiableMap(byFamily));
		this.byAttributes = groups;
		return new Changes(announced, withdrawn);
	}

	/** Every route, sorted by prefix. */
	public synchronized Map<Prefix, RouteAttributes> all() {
		return new TreeMap<>(this.routes);
	}

	/**
	 * The routes of one family grouped by their attributes, as of the last replace. The
	 * lists are not copied: a replace makes new ones and leaves these alone.
	 */
	public synchronized Map<RouteAttributes, List<Prefix>> byAttributes(AddressFamily family) {
		return this.byAttributes.getOrDefault(family, Map.of());
	}

	/** How many routes of one family there are. */
	public synchronized int count(AddressFamily family) {
		int count = 0;
		for (List<Prefix> prefixes : byAttributes(family).values()) {
			count += prefixes.size();
		}
		return count;
	}

	/**
	 * Groups prefixes by family and attributes. Most routes share one attributes object
	 * (the default, or one advertisement's), so the last group is remembered by identity
	 * and a hash lookup is only needed when the attributes change.
	 */
	private static final class Grouper {

		private final Map<AddressFamily, Map<RouteAttributes, List<Prefix>>> groups;

		private AddressFamily lastFamily;

		private RouteAttributes lastAttributes;

		private List<Prefix> lastGroup;

		Grouper(Map<AddressFamily, Map<RouteAttributes, List<Prefix>>> groups) {
			this.groups = groups;
		}

		void add(Prefix prefix, RouteAttributes attributes) {
			if (attributes != this.lastAttributes || prefix.family() != this.lastFamily) {
				this.lastFamily = prefix.family();
				this.lastAttributes = attributes;
				this.lastGroup = this.groups.computeIfAbsent(prefix.family(), (family) -> new LinkedHashMap<>())
					.computeIfAbsent(attributes, (key) -> new ArrayList<>());
			}
			this.lastGroup.add(prefix);
		}

	}

}
