package io.jcilium.agent.datapath.link;

import io.jcilium.agent.node.routing.RoutingMode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Pods' links over rtnetlink ({@code jcilium.agent.endpoint.link-setup=netlink}, the
 * default): {@link Primary} over the endpoint cell's iproute2 implementation, which stays
 * the one with {@code link-setup=ip}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "jcilium.agent.endpoint.link-setup", havingValue = "netlink", matchIfMissing = true)
public class PodLinkConfiguration {

	@Bean
	@Primary
	NetlinkLinkOperations netlinkLinkOperations(@Value("${jcilium.agent.routing.mode:native}") String routingMode,
			@Value("${jcilium.agent.routing.underlay-mtu:1500}") int underlayMtu) {
		return new NetlinkLinkOperations(NetlinkLinkOperations.DEFAULT_TIMEOUT,
				RoutingMode.podLinkMtu(routingMode, underlayMtu));
	}

}
