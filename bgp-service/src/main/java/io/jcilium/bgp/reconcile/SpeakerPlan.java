package io.jcilium.bgp.reconcile;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.SpeakerConfig;
import io.jcilium.bgp.wire.Prefix;

/**
 * What the speaker should run, from a lab file or the API server: itself, its neighbours
 * and its routes.
 *
 * @param speaker the speaker
 * @param neighbours its neighbours
 * @param routes every route the plan advertises to some neighbour
 * @param neighbourRoutes the routes of each neighbour whose own advertisement selection
 * applies (upstream's {@code families[].advertisements} of its peer config); a neighbour
 * without an entry gets every route
 */
public record SpeakerPlan(SpeakerConfig speaker, List<NeighbourConfig> neighbours, Map<Prefix, RouteAttributes> routes,
		Map<InetAddress, Map<Prefix, RouteAttributes>> neighbourRoutes) {

	public SpeakerPlan {
		neighbours = List.copyOf(neighbours);
		routes = Map.copyOf(routes);
		Map<InetAddress, Map<Prefix, RouteAttributes>> copy = new HashMap<>();
		neighbourRoutes.forEach((address, selected) -> copy.put(address, Map.copyOf(selected)));
		neighbourRoutes = Map.copyOf(copy);
	}

	/** A plan that sends every neighbour the same routes. */
	public SpeakerPlan(SpeakerConfig speaker, List<NeighbourConfig> neighbours, Map<Prefix, RouteAttributes> routes) {
		this(speaker, neighbours, routes, Map.of());
	}

	/**
	 * A plan where each neighbour gets its own selection; {@link #routes()} is their
	 * union.
	 */
	public static SpeakerPlan perNeighbour(SpeakerConfig speaker, List<NeighbourConfig> neighbours,
			Map<InetAddress, Map<Prefix, RouteAttributes>> neighbourRoutes) {
		Map<Prefix, RouteAttributes> union = new HashMap<>();
		neighbourRoutes.values().forEach(union::putAll);
		return new SpeakerPlan(speaker, neighbours, union, neighbourRoutes);
	}

	/** The routes one neighbour gets. */
	public Map<Prefix, RouteAttributes> routesOf(NeighbourConfig neighbour) {
		return this.neighbourRoutes.getOrDefault(neighbour.address(), this.routes);
	}

}
