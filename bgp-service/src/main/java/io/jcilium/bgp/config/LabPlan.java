package io.jcilium.bgp.config;

import java.util.List;
import java.util.Map;

import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.SpeakerConfig;
import io.jcilium.bgp.wire.Prefix;

/**
 * What a lab file asks the speaker to run: itself, its neighbours and its routes.
 *
 * @param speaker the speaker
 * @param neighbours its neighbours
 * @param routes the routes to advertise to them
 */
public record LabPlan(SpeakerConfig speaker, List<NeighbourConfig> neighbours, Map<Prefix, RouteAttributes> routes) {

	public LabPlan {
		neighbours = List.copyOf(neighbours);
		routes = Map.copyOf(routes);
	}

}
