package io.jcilium.agent.datapath.nat;

import io.jcilium.agent.datapath.DatapathLifecycle;
import io.jcilium.agent.datapath.libbpf.Libbpf;

import io.jcilium.agent.service.ServiceProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires masquerading when the datapath is on: on or off, it is written at every start so
 * a switch left pinned by an earlier run never outlives the setting.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "jcilium.datapath.enabled", havingValue = "true")
@EnableConfigurationProperties({ MasqueradeProperties.class, ServiceProperties.class })
public class MasqueradeConfiguration {

	@Bean
	MasqueradeDatapath masqueradeDatapath(Libbpf libbpf, DatapathLifecycle datapath, ServiceProperties services,
			MasqueradeProperties properties) {
		return new MasqueradeDatapath(libbpf, () -> datapath.layout().directory(), services.nodePortDevices(),
				properties);
	}

}
