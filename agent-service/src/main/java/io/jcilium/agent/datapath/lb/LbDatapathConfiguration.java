package io.jcilium.agent.datapath.lb;

import io.jcilium.agent.datapath.DatapathLifecycle;
import io.jcilium.agent.datapath.libbpf.Libbpf;

import io.jcilium.agent.service.ServiceProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the LB maps and socket LB into the service feature (as its {@code LbMaps}) when
 * the datapath is on.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "jcilium.datapath.enabled", havingValue = "true")
@EnableConfigurationProperties(ServiceProperties.class)
public class LbDatapathConfiguration {

	@Bean
	LbDatapath lbDatapath(Libbpf libbpf, DatapathLifecycle datapath, ServiceProperties properties) {
		return new LbDatapath(libbpf, () -> datapath.layout().directory(),
				new SocketLb.MapSizes(properties.serviceMapSize(), properties.backendMapSize(),
						properties.revNatMapSize()),
				properties.socketLb(), properties.cgroupPath(),
				new LbDatapath.HostSettings(properties.nodePortDevices(),
						new HostLb.BackendSelection(properties.effectiveMaglevTableSize()), properties.natMapSize()));
	}

}
