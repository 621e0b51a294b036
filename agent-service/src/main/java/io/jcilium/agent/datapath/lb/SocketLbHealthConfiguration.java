package io.jcilium.agent.datapath.lb;

import io.jcilium.agent.service.lb.LbProgrammer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code socketLb} health indicator, wired with or without the datapath: the
 * readiness group names it, and a group may only name indicators that exist.
 */
@Configuration(proxyBeanMethods = false)
public class SocketLbHealthConfiguration {

	@Bean
	SocketLbHealthIndicator socketLbHealthIndicator(ObjectProvider<LbDatapath> lb,
			ObjectProvider<LbProgrammer> programmer) {
		return new SocketLbHealthIndicator(lb.getIfAvailable(), programmer.getIfAvailable());
	}

}
