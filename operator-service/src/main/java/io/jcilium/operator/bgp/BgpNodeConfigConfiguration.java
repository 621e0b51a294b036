package io.jcilium.operator.bgp;

import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jcilium.operator.k8s.SharedInformers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the node-config writer; it runs as a
 * {@link io.jcilium.operator.election.LeaderTask}, so only on the leader.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "jcilium.operator.bgp.enabled")
class BgpNodeConfigConfiguration {

	@Bean
	NodeConfigController bgpNodeConfigController(KubernetesClient client, SharedInformers informers,
			BgpNodeConfigProperties properties) {
		return new NodeConfigController(client, informers, Duration.ofSeconds(properties.resyncSeconds()));
	}

}
