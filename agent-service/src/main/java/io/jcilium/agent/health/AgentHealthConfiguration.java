package io.jcilium.agent.health;

import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jcilium.identity.client.IdentityClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires one health indicator per dependency. The bean names are the component names in
 * {@code /actuator/health} and the service names of the gRPC health check:
 * {@code apiServer}, {@code datapath}, {@code identityService}. A feature switched off is
 * reported UNKNOWN with the switch as its reason, never DOWN; and every indicator exists
 * either way, so the gRPC health check can name all three. The datapath's own indicator
 * is wired by the datapath cell ({@code DatapathHealthConfiguration}): no feature outside
 * it depends on its classes.
 */
@Configuration(proxyBeanMethods = false)
class AgentHealthConfiguration {

	@Bean
	ApiServerHealthIndicator apiServerHealthIndicator(ObjectProvider<KubernetesClient> client) {
		return new ApiServerHealthIndicator(client.getIfAvailable(), Duration.ofSeconds(3), Duration.ofSeconds(5));
	}

	@Bean
	IdentityServiceHealthIndicator identityServiceHealthIndicator(ObjectProvider<IdentityClient> client) {
		return new IdentityServiceHealthIndicator(client.getIfAvailable());
	}

}
