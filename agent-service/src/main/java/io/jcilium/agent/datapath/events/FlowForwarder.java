package io.jcilium.agent.datapath.events;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.jcilium.agent.hubble.FlowSink;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.LostEventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every datapath event to Hubble's {@link FlowSink}s as a flow, on the reader
 * thread. An event that cannot be decoded is reported to the sinks as lost, never dropped
 * silently, and so are the events the kernel had no room for in the ring buffer
 * ({@code PERF_EVENT_RING_BUFFER}, upstream's name for the datapath's event ring). With
 * no sink (Hubble switched off) events are not decoded at all.
 */
public final class FlowForwarder implements DatapathEventListener {

	private static final Logger log = LoggerFactory.getLogger(FlowForwarder.class);

	private final Supplier<List<FlowSink>> sinkLookup;

	private final FlowDecoder decoder;

	// Looked up on the first event: the sinks may be created after the datapath.
	private volatile List<FlowSink> sinks;

	/**
	 * @param sinks the sinks, asked for once on the first event
	 * @param monotonicNanos CLOCK_MONOTONIC now, the clock of the events' stamps
	 */
	public FlowForwarder(Supplier<List<FlowSink>> sinks, LongSupplier monotonicNanos) {
		this.sinkLookup = sinks;
		this.decoder = new FlowDecoder(monotonicNanos);
	}

	@Override
	public void onLost(long count) {
		for (FlowSink sink : sinks()) {
			sink.lost(LostEventSource.PERF_EVENT_RING_BUFFER, count);
		}
	}

	private List<FlowSink> sinks() {
		List<FlowSink> targets = this.sinks;
		if (targets == null) {
			targets = List.copyOf(this.sinkLookup.get());
			this.sinks = targets;
		}
		return targets;
	}

	@Override
	public void onEvent(DatapathEvent event) {
		List<FlowSink> targets = sinks();
		if (targets.isEmpty()) {
			return;
		}
		Flow flow;
		try {
			flow = this.decoder.decode(event);
		}
		catch (RuntimeException ex) {
			log.debug("datapath event {} could not become a flow", event, ex);
			for (FlowSink sink : targets) {
				sink.lost(LostEventSource.UNKNOWN_LOST_EVENT_SOURCE, 1);
			}
			return;
		}
		for (FlowSink sink : targets) {
			sink.flow(flow);
		}
	}

}
