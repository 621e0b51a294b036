package io.jcilium.operator.lbipam;

import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires LB-IPAM; it runs as a {@link io.jcilium.operator.election.LeaderTask}, so only on
 * the leader.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "jcilium.operator.lbipam.enabled", matchIfMissing = true)
class LbIpamConfiguration {

	@Bean
	LbIpamController lbIpamController(KubernetesClient client, LbIpamProperties properties) {
		return new LbIpamController(client, properties.poolApiVersion(),
				Duration.ofSeconds(properties.resyncSeconds()));
	}

}
