package io.jcilium.agent.identity.cardinality;

import java.util.List;
import java.util.function.Consumer;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jcilium.agent.identity.cardinality.IdentityCardinality.Finding;
import io.jcilium.agent.k8s.NodeProperties;
import io.jcilium.identity.client.IdentityClient;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Jobs;
import io.jcilium.jobs.lifecycle.JobLifecycle;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the identity-cardinality guard over the identity client's cache of the cluster's
 * identities: the check as the job {@value #JOB}, the Events when the agent talks to an
 * API server, and the actuator endpoint.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "jcilium.agent.identity", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(CardinalityProperties.class)
public class IdentityCardinalityConfiguration {

	static final String JOB = "identity-cardinality";

	@Bean
	CardinalityWatch identityCardinalityWatch(IdentityClient identityClient, CardinalityProperties properties,
			ObjectProvider<KubernetesClient> kubernetes, ObjectProvider<NodeProperties> node, MeterRegistry meters) {
		KubernetesClient client = kubernetes.getIfAvailable();
		Consumer<Finding> warnings = (finding) -> {
		};
		if (properties.events() && client != null) {
			warnings = new CardinalityEvents(client,
					node.getIfAvailable(() -> new NodeProperties(null, "default", List.of())).nodeName());
		}
		return new CardinalityWatch(() -> identityClient.cache().identities(), properties.threshold(), warnings,
				meters);
	}

	@Bean
	JobLifecycle identityCardinalityJob(Jobs agentJobs, CardinalityWatch identityCardinalityWatch,
			CardinalityProperties properties) {
		return new JobLifecycle(agentJobs.periodic(JOB, properties.interval(),
				Backoff.exponential(properties.interval(), properties.interval().multipliedBy(4)),
				identityCardinalityWatch::check));
	}

	@Bean
	IdentityCardinalityEndpoint identityCardinalityEndpoint(CardinalityWatch identityCardinalityWatch) {
		return new IdentityCardinalityEndpoint(identityCardinalityWatch);
	}

}
