package io.jcilium.agent.hubble.metrics;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Makes the counter families of the metrics, all with the same cap on label sets.
 */
final class Counters {

	private final MeterRegistry registry;

	private final int maxLabelSets;

	Counters(MeterRegistry registry, int maxLabelSets) {
		this.registry = registry;
		this.maxLabelSets = maxLabelSets;
	}

	LabeledCounter counter(String name, String description, List<String> labels, LabelContext context) {
		return new LabeledCounter(this.registry, name, description, labels, context, this.maxLabelSets);
	}

}
