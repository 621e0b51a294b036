package io.jcilium.agent.node.routing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of routing between nodes under {@code jcilium.agent.routing}.
 *
 * @param mode {@code native} or {@code tunnel} (upstream's {@code routing-mode}); tunnel
 * needs the datapath ({@code jcilium.datapath.enabled})
 * @param autoDirectNodeRoutes in native mode, route every other node's pod CIDRs via its
 * InternalIP (upstream's {@code auto-direct-node-routes}, for nodes on one L2 network);
 * off: no route is installed
 * @param tunnelDevice the VXLAN device of tunnel mode
 * @param tunnelPort its UDP port (upstream's default for VXLAN, 8472)
 * @param underlayMtu the MTU of the nodes' network; pods get it less the encapsulation
 * overhead in tunnel mode
 * @param resync how often the routes are checked without a node event (repairs a route
 * removed by hand)
 * @param commandTimeout bound on each {@code ip} command
 */
@ConfigurationProperties("jcilium.agent.routing")
public record RoutingProperties(@DefaultValue("native") RoutingMode mode,
		@DefaultValue("false") boolean autoDirectNodeRoutes, @DefaultValue("cilium_vxlan") String tunnelDevice,
		@DefaultValue("8472") int tunnelPort, @DefaultValue("1500") int underlayMtu,
		@DefaultValue("60s") Duration resync, @DefaultValue("10s") Duration commandTimeout) {

	/** The smallest MTU IPv6 allows (RFC 8200 section 5), plus the encapsulation. */
	static final int MIN_UNDERLAY_MTU = 1280 + RoutingMode.VXLAN_OVERHEAD_BYTES;

	public RoutingProperties {
		if (resync.isNegative() || resync.isZero()) {
			throw new IllegalArgumentException("jcilium.agent.routing.resync must be positive, got " + resync);
		}
		if (commandTimeout.isNegative() || commandTimeout.isZero()) {
			throw new IllegalArgumentException(
					"jcilium.agent.routing.command-timeout must be positive, got " + commandTimeout);
		}
		if (tunnelPort < 1 || tunnelPort > 65535) {
			throw new IllegalArgumentException(
					"jcilium.agent.routing.tunnel-port must be a UDP port (1-65535), got " + tunnelPort);
		}
		if (underlayMtu < MIN_UNDERLAY_MTU || underlayMtu > 65535) {
			throw new IllegalArgumentException("jcilium.agent.routing.underlay-mtu must be between " + MIN_UNDERLAY_MTU
					+ " and 65535, got " + underlayMtu);
		}
		if (tunnelDevice == null || !tunnelDevice.matches("[A-Za-z0-9_.-]{1,15}")) {
			throw new IllegalArgumentException("jcilium.agent.routing.tunnel-device must be an interface name of 1-15"
					+ " letters, digits, '_', '.', '-', got '" + tunnelDevice + "'");
		}
	}

	/**
	 * Whether this node routes other nodes' pod CIDRs itself.
	 * @return true in tunnel mode, and in native mode with auto-direct-node-routes
	 */
	public boolean routesNodes() {
		return this.mode == RoutingMode.TUNNEL || this.autoDirectNodeRoutes;
	}

}
