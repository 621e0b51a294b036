package io.jcilium.agent.hubble.metrics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.LostEventSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enabled flow metrics, fed each flow the observer stores (on the datapath event
 * reader's thread), and {@code hubble_lost_events_total{source}} for events lost on the
 * way, with upstream's source names ({@code perf_event_ring_buffer},
 * {@code observer_events_queue}, {@code hubble_ring_buffer}). A metric that fails on a
 * flow never fails the flow.
 */
public final class FlowMetrics {

	/** No metrics: what the observer uses when they are off. */
	public static final FlowMetrics NONE = new FlowMetrics(new FlowMetric[0], null);

	private static final Logger log = LoggerFactory.getLogger(FlowMetrics.class);

	private final FlowMetric[] metrics;

	private final MeterRegistry registry;

	private final Map<LostEventSource, Counter> lost = new EnumMap<>(LostEventSource.class);

	private FlowMetrics(FlowMetric[] metrics, MeterRegistry registry) {
		this.metrics = metrics;
		this.registry = registry;
	}

	/**
	 * @param enabled metrics in upstream's syntax, e.g.
	 * {@code flow:sourceContext=namespace;destinationContext=namespace}
	 * @param maxLabelSets the most label sets each metric registers
	 * @param registry where they are exported
	 * @throws IllegalArgumentException naming what cannot be used
	 */
	public static FlowMetrics create(List<String> enabled, int maxLabelSets, MeterRegistry registry) {
		Counters counters = new Counters(registry, maxLabelSets);
		List<FlowMetric> metrics = new ArrayList<>();
		for (String text : enabled) {
			MetricSpec spec = MetricSpec.parse(text);
			LabelContext context = LabelContext.parse(spec.options());
			metrics.add(switch (spec.name()) {
				case "flow" -> new FlowsProcessedMetric(counters, context);
				case "drop" -> new DropMetric(counters, context);
				case "policy" -> new PolicyVerdictMetric(counters, context);
				case "tcp" -> new TcpFlagsMetric(counters, context);
				case "port-distribution" -> new PortDistributionMetric(counters, context);
				default -> throw new IllegalArgumentException("unknown metric '" + spec.name()
						+ "'; this agent has flow, drop, policy, tcp and port-distribution");
			});
		}
		return new FlowMetrics(metrics.toArray(FlowMetric[]::new), registry);
	}

	/**
	 * Checks metric definitions without registering anything.
	 * @throws IllegalArgumentException naming what cannot be used
	 */
	public static void validate(List<String> enabled) {
		create(enabled, 1, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
	}

	public void flow(Flow flow) {
		for (FlowMetric metric : this.metrics) {
			try {
				metric.process(flow);
			}
			catch (RuntimeException ex) {
				log.debug("a Hubble metric could not count a flow", ex);
			}
		}
	}

	public void lost(LostEventSource source, long count) {
		if (this.registry == null || count <= 0) {
			return;
		}
		Counter counter;
		synchronized (this.lost) {
			counter = this.lost.computeIfAbsent(source,
					(key) -> Counter.builder("hubble.lost.events")
						.description("Number of lost events")
						.tag("source", key.name().toLowerCase(Locale.ROOT))
						.register(this.registry));
		}
		counter.increment(count);
	}

}
