package io.jcilium.bgp.reconcile;

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
 * @param routes the routes to advertise to them
 */
public record SpeakerPlan(SpeakerConfig speaker, List<NeighbourConfig> neighbours,
		Map<Prefix, RouteAttributes> routes) {

	public SpeakerPlan {
		neighbours = List.copyOf(neighbours);
		routes = Map.copyOf(routes);
	}

}
