package io.jcilium.agent.hubble.metrics;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires Hubble's flow metrics onto the agent's meter registry (its Prometheus endpoint);
 * without a registry there are none. Present whenever Hubble is.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "jcilium.agent.hubble", name = "enabled", havingValue = "true", matchIfMissing = true)
public class HubbleMetricsConfiguration {

	@Bean
	FlowMetrics hubbleFlowMetrics(HubbleMetricsProperties properties, ObjectProvider<MeterRegistry> registry) {
		MeterRegistry meters = registry.getIfAvailable();
		return (meters != null) ? FlowMetrics.create(properties.enabled(), properties.maxLabelSets(), meters)
				: FlowMetrics.NONE;
	}

}
