package io.jcilium.agent.node.routing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of routing between nodes under {@code jcilium.agent.routing}.
 *
 * @param autoDirectNodeRoutes route every other node's pod CIDRs via its InternalIP
 * (upstream's {@code auto-direct-node-routes}, for nodes on one L2 network); off: no
 * route is installed
 * @param resync how often the routes are checked without a node event (repairs a route
 * removed by hand)
 * @param commandTimeout bound on each {@code ip route} command
 */
@ConfigurationProperties("jcilium.agent.routing")
public record RoutingProperties(@DefaultValue("false") boolean autoDirectNodeRoutes,
		@DefaultValue("60s") Duration resync, @DefaultValue("10s") Duration commandTimeout) {

	public RoutingProperties {
		if (resync.isNegative() || resync.isZero()) {
			throw new IllegalArgumentException("jcilium.agent.routing.resync must be positive, got " + resync);
		}
		if (commandTimeout.isNegative() || commandTimeout.isZero()) {
			throw new IllegalArgumentException(
					"jcilium.agent.routing.command-timeout must be positive, got " + commandTimeout);
		}
	}

}
