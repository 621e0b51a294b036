package io.jcilium.agent.datapath.overlay;

import java.util.List;

import io.jcilium.agent.datapath.DatapathLifecycle;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.node.routing.IpCommand;
import io.jcilium.agent.node.routing.RoutingMode;
import io.jcilium.agent.node.routing.RoutingProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the VXLAN overlay when the routing mode is {@code tunnel} and the datapath is on.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("${jcilium.datapath.enabled:false}"
		+ " and '${jcilium.agent.routing.mode:native}'.equalsIgnoreCase('tunnel')")
@EnableConfigurationProperties(RoutingProperties.class)
public class OverlayConfiguration {

	@Bean
	OverlayDatapath overlayDatapath(Libbpf libbpf, DatapathLifecycle datapath, RoutingProperties properties) {
		VxlanDevice device = new VxlanDevice(new IpCommand(List.of("ip"), properties.commandTimeout()),
				properties.tunnelDevice(), properties.tunnelPort(), RoutingMode.tunnelMtu(properties.underlayMtu()));
		return new OverlayDatapath(libbpf, datapath::layout, device);
	}

}
