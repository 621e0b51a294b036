package io.jcilium.agent.node.routing;

import java.util.List;

import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.KubernetesConfiguration;
import io.jcilium.agent.k8s.NodeProperties;
import io.jcilium.jobs.Jobs;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires direct routes to other nodes' pods when {@code auto-direct-node-routes} is on and
 * the agent watches Kubernetes (the nodes come from the CiliumNodes).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RoutingProperties.class)
@ConditionalOnProperty(name = "jcilium.agent.routing.auto-direct-node-routes", havingValue = "true")
public class RoutingConfiguration {

	@Bean
	@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
	DirectNodeRoutes directNodeRoutes(ClusterInformers informers, NodeProperties node, RoutingProperties properties,
			Jobs agentJobs) {
		DirectNodeRoutes routes = new DirectNodeRoutes(new DirectRoutePlanner(node.nodeName()),
				new IpRouteTable(List.of("ip"), properties.commandTimeout()), informers.ciliumNodes()::hasSynced,
				agentJobs, properties.resync());
		informers.ciliumNodes().addEventHandler(routes.handler());
		return routes;
	}

}
