package io.jcilium.agent.hubble.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.jcilium.api.hubble.flow.Flow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * One counter family ({@code hubble_drop_total} with all its label sets) that registers
 * at most a configured number of label sets: a flow that would need one more is counted
 * in {@code hubble_metrics_over_label_limit_total{metric=...}} instead, so the cap bites
 * visibly and the scrape stays bounded. Counting a known label set is a hash lookup and
 * an add; registering takes a lock.
 */
final class LabeledCounter {

	static final String OVER_LIMIT = "hubble.metrics.over.label.limit";

	private final MeterRegistry registry;

	private final String name;

	private final String description;

	private final List<String> labelNames;

	private final LabelContext context;

	private final int maxLabelSets;

	private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

	private final Counter overLimit;

	/**
	 * @param name the Micrometer name, e.g. {@code hubble.drop} (exported as
	 * {@code hubble_drop_total})
	 * @param fixedLabels the metric's own labels, before the context's
	 */
	LabeledCounter(MeterRegistry registry, String name, String description, List<String> fixedLabels,
			LabelContext context, int maxLabelSets) {
		this.registry = registry;
		this.name = name;
		this.description = description;
		List<String> names = new ArrayList<>(fixedLabels);
		names.addAll(context.names());
		this.labelNames = List.copyOf(names);
		this.context = context;
		this.maxLabelSets = maxLabelSets;
		this.overLimit = Counter.builder(OVER_LIMIT)
			.description("Flows a Hubble metric did not count because it reached its cap on label sets "
					+ "(jcilium.agent.hubble.metrics.max-label-sets)")
			.tag("metric", name.replace('.', '_') + "_total")
			.register(registry);
	}

	/**
	 * Counts a flow under its label set.
	 * @param flow the flow, for the context labels
	 * @param fixed the values of the metric's own labels, in order
	 */
	void increment(Flow flow, String... fixed) {
		// The varargs array is this call's own: without context labels it is the key.
		String[] values = fixed;
		if (this.context.size() > 0) {
			values = Arrays.copyOf(fixed, fixed.length + this.context.size());
			this.context.values(flow, values, fixed.length);
		}
		Key key = new Key(values);
		Counter counter = this.counters.get(key);
		if (counter == null) {
			counter = register(key);
			if (counter == null) {
				this.overLimit.increment();
				return;
			}
		}
		counter.increment();
	}

	int labelSets() {
		return this.counters.size();
	}

	private synchronized Counter register(Key key) {
		Counter counter = this.counters.get(key);
		if (counter != null || this.counters.size() >= this.maxLabelSets) {
			return counter;
		}
		String[] tags = new String[this.labelNames.size() * 2];
		for (int i = 0; i < this.labelNames.size(); i++) {
			tags[2 * i] = this.labelNames.get(i);
			tags[2 * i + 1] = key.values[i];
		}
		counter = Counter.builder(this.name).description(this.description).tags(Tags.of(tags)).register(this.registry);
		this.counters.put(key, counter);
		return counter;
	}

	private static final class Key {

		private final String[] values;

		private final int hash;

		Key(String[] values) {
			this.values = values;
			this.hash = Arrays.hashCode(values);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Key key && Arrays.equals(this.values, key.values);
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

}
