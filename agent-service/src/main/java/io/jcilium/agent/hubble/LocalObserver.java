package io.jcilium.agent.hubble;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.Timestamp;
import io.jcilium.agent.hubble.enrich.FlowEnricher;
import io.jcilium.agent.hubble.metrics.FlowMetrics;
import io.jcilium.agent.hubble.ring.FlowRing;
import io.jcilium.agent.hubble.ring.RingEvent;
import io.jcilium.agent.hubble.rules.RuleHits;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.LostEventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's observer: enriches each flow the datapath decodes, writes it into the ring
 * and counts it (flow metrics, per-policy hits); losses become lost-events records in the
 * ring, so every reader hears of them. Called on the datapath event reader's thread;
 * never waits for a reader.
 */
final class LocalObserver implements FlowSink {

	private static final Logger log = LoggerFactory.getLogger(LocalObserver.class);

	private final FlowRing ring;

	private final FlowEnricher enricher;

	private final Clock clock;

	private final FlowMetrics metrics;

	private final RuleHits ruleHits;

	private final long startedNanos = System.nanoTime();

	private final SeenNamespaces namespaces = new SeenNamespaces();

	private final Map<LostEventSource, Long> lost = new EnumMap<>(LostEventSource.class);

	private volatile long seenFlows;

	LocalObserver(FlowRing ring, FlowEnricher enricher, Clock clock) {
		this(ring, enricher, clock, FlowMetrics.NONE);
	}

	LocalObserver(FlowRing ring, FlowEnricher enricher, Clock clock, FlowMetrics metrics) {
		this(ring, enricher, clock, metrics, new RuleHits(null, 0));
	}

	LocalObserver(FlowRing ring, FlowEnricher enricher, Clock clock, FlowMetrics metrics, RuleHits ruleHits) {
		this.ring = ring;
		this.enricher = enricher;
		this.clock = clock;
		this.metrics = metrics;
		this.ruleHits = ruleHits;
	}

	@Override
	public synchronized void flow(Flow flow) {
		Flow enriched;
		try {
			enriched = this.enricher.enrich(flow);
		}
		catch (RuntimeException ex) {
			log.debug("flow could not be enriched", ex);
			lost(LostEventSource.OBSERVER_EVENTS_QUEUE, 1);
			return;
		}
		this.ring.write(RingEvent.of(enriched));
		this.seenFlows++;
		long now = this.clock.millis();
		this.namespaces.seen(enriched.getSource().getNamespace(), now);
		this.namespaces.seen(enriched.getDestination().getNamespace(), now);
		this.metrics.flow(enriched);
		this.ruleHits.flow(enriched);
	}

	@Override
	public synchronized void lost(LostEventSource source, long count) {
		if (count <= 0) {
			return;
		}
		this.lost.merge(source, count, Long::sum);
		this.metrics.lost(source, count);
		Instant now = this.clock.instant();
		this.ring.write(
				RingEvent.lost(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build(),
						source, count));
	}

	FlowMetrics metrics() {
		return this.metrics;
	}

	FlowRing ring() {
		return this.ring;
	}

	/** The namespaces of the flows seen in the last hour, sorted. */
	List<String> namespaces() {
		return this.namespaces.namespaces(this.clock.millis());
	}

	/** Flows written into the ring since start. */
	long seenFlows() {
		return this.seenFlows;
	}

	/** Events lost before becoming flows, by source, since start. */
	synchronized Map<LostEventSource, Long> lostEvents() {
		return Map.copyOf(this.lost);
	}

	long uptimeNanos() {
		return System.nanoTime() - this.startedNanos;
	}

}
