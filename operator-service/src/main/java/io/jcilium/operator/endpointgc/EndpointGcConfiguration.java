package io.jcilium.operator.endpointgc;

import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jcilium.operator.k8s.SharedInformers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires CiliumEndpoint garbage collection (a leader task).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "jcilium.operator.endpoint-gc.enabled", matchIfMissing = true)
class EndpointGcConfiguration {

	@Bean
	EndpointGcController endpointGcController(KubernetesClient client, SharedInformers informers,
			EndpointGcProperties properties) {
		return new EndpointGcController(client, informers, properties.endpointApiVersion(),
				Duration.ofSeconds(properties.intervalSeconds()));
	}

}
