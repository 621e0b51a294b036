package io.jcilium.agent.endpoint;

import io.jcilium.agent.link.IpCommandLinkOperations;
import io.jcilium.agent.link.LinkOperations;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the endpoint lifecycle: kernel links through iproute2, pod IPs persisted in the
 * state directory, and the stand-ins for identity resolution and the datapath until those
 * cells provide the real ones (their beans replace these).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EndpointProperties.class)
public class EndpointConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LinkOperations linkOperations() {
		return new IpCommandLinkOperations();
	}

	@Bean
	PersistentPodIps persistentPodIps(EndpointProperties properties) {
		return new PersistentPodIps(properties.ipam().podCidr(), properties.stateDir().resolve("pod-ip-allocations"));
	}

	@Bean
	@ConditionalOnMissingBean
	IdentityResolver identityResolver() {
		return new InitIdentityResolver();
	}

	@Bean
	@ConditionalOnMissingBean
	EndpointDatapath endpointDatapath() {
		return new LoggingEndpointDatapath();
	}

	@Bean
	EndpointManager endpointManager(LinkOperations links, PersistentPodIps ips, IdentityResolver identities,
			EndpointDatapath datapath) {
		return new EndpointManager(links, ips, identities, datapath);
	}

	@Bean
	EndpointMetrics endpointMetrics(EndpointManager endpoints) {
		return new EndpointMetrics(endpoints);
	}

}
