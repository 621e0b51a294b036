package io.jcilium.agent.cni;

import io.jcilium.agent.endpoint.EndpointManager;
import io.jcilium.agent.link.LinkOperations;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the agent API (CNI and endpoint routes) on its unix socket.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CniProperties.class)
class CniConfiguration {

	@Bean
	AgentApiServer agentApiServer(CniProperties properties, EndpointManager endpoints, LinkOperations links) {
		return new AgentApiServer(properties.socketPath(), properties.settings(), endpoints, links);
	}

}
