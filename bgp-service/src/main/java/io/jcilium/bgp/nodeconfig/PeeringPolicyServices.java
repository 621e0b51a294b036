package io.jcilium.bgp.nodeconfig;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.crd.v2alpha1.CiliumBGPPeeringPolicy;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;

/**
 * The service routes of a v1 virtual router, as upstream's BGPv1 service reconciler gives
 * them: none without a {@code serviceSelector}; else the addresses named by
 * {@code serviceAdvertisements} (upstream's CRD defaults it to {@code LoadBalancerIP}) of
 * the services the selector picks, by the rules the v2 advertisements follow
 * ({@link ServiceAdvertisements}: {@code loadBalancerClass}, traffic policies), as host
 * routes in both families (v1 has no aggregation).
 */
final class PeeringPolicyServices {

	private static final List<String> DEFAULT_ADDRESSES = List.of("LoadBalancerIP");

	private PeeringPolicyServices() {
	}

	static void select(String owner, CiliumBGPPeeringPolicy.VirtualRouter router, NodeState agent,
			Map<Prefix, RouteAttributes> routes, List<String> notices) {
		if (router.serviceSelector == null) {
			return;
		}
		if (agent == null) {
			notices.add(owner + ": service advertisements need the local agent's node state (set "
					+ "bgp.agent-address) and none has been received yet");
			return;
		}
		List<String> addresses = Objects.requireNonNullElse(router.serviceAdvertisements, DEFAULT_ADDRESSES);
		for (AddressFamily family : AddressFamily.values()) {
			ServiceAdvertisements.select(owner, Selectors.of(router.serviceSelector, owner + " serviceSelector"),
					addresses, family, family.addressBits(), agent, RouteAttributes.DEFAULT, routes, notices);
		}
	}

}
