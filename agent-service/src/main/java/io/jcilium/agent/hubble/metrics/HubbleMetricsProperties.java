package io.jcilium.agent.hubble.metrics;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of Hubble's flow metrics, under {@code jcilium.agent.hubble.metrics}.
 *
 * @param enabled the metrics to export, in upstream's {@code hubble.metrics.enabled}
 * syntax: {@code flow}, {@code drop}, {@code policy}, {@code tcp},
 * {@code port-distribution}, each optionally with label contexts, e.g.
 * {@code drop:sourceContext=namespace|pod;destinationContext=workload-name}; empty turns
 * flow metrics off ({@code hubble_lost_events_total} stays)
 * @param maxLabelSets the most label sets one metric registers; flows that would need
 * more are counted in {@code hubble_metrics_over_label_limit_total}
 */
@ConfigurationProperties("jcilium.agent.hubble.metrics")
public record HubbleMetricsProperties(@DefaultValue( {
		"flow", "drop", "policy", "tcp", "port-distribution" }) List<String> enabled,
		@DefaultValue("2000") int maxLabelSets){

	public HubbleMetricsProperties {
		enabled = List.copyOf(enabled);
		if (maxLabelSets < 1) {
			throw new IllegalArgumentException(
					"jcilium.agent.hubble.metrics.max-label-sets must be at least 1, got " + maxLabelSets);
		}
		try {
			FlowMetrics.validate(enabled);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("jcilium.agent.hubble.metrics.enabled: " + ex.getMessage(), ex);
		}
	}

}
