package io.jcilium.agent.node.routing;

import java.util.List;

import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.KubernetesConfiguration;
import io.jcilium.agent.k8s.NodeProperties;
import io.jcilium.jobs.Jobs;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the routes to other nodes' pods, when this node routes them itself (tunnel mode,
 * or native mode with {@code auto-direct-node-routes}) and the agent watches Kubernetes
 * (the nodes come from the CiliumNodes). In tunnel mode every route points into the VXLAN
 * device the datapath's overlay cell creates.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RoutingProperties.class)
@ConditionalOnExpression("${jcilium.agent.routing.auto-direct-node-routes:false}"
		+ " or '${jcilium.agent.routing.mode:native}'.equalsIgnoreCase('tunnel')")
public class RoutingConfiguration {

	@Bean
	@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
	DirectNodeRoutes directNodeRoutes(ClusterInformers informers, NodeProperties node, RoutingProperties properties,
			Jobs agentJobs, @Value("${jcilium.datapath.enabled:false}") boolean datapath) {
		if (properties.mode() == RoutingMode.TUNNEL && !datapath) {
			throw new IllegalStateException("jcilium.agent.routing.mode=tunnel needs the datapath"
					+ " (jcilium.datapath.enabled=true): its VXLAN device and programs carry the routes to other nodes");
		}
		String device = (properties.mode() == RoutingMode.TUNNEL) ? properties.tunnelDevice() : null;
		DirectNodeRoutes routes = new DirectNodeRoutes(new DirectRoutePlanner(node.nodeName(), device),
				new IpRouteTable(List.of("ip"), properties.commandTimeout(), properties.tunnelDevice()),
				informers.ciliumNodes()::hasSynced, agentJobs, properties.resync());
		informers.ciliumNodes().addEventHandler(routes.handler());
		return routes;
	}

}
