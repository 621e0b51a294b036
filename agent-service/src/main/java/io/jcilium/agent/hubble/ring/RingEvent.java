package io.jcilium.agent.hubble.ring;

import com.google.protobuf.Timestamp;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.LostEvent;
import io.jcilium.api.hubble.flow.LostEventSource;

/**
 * One entry of the ring: a flow, or a record of events lost before they became flows.
 *
 * @param time when it was observed
 * @param flow the flow, null for a lost-events record
 * @param lost the lost events, null for a flow
 */
public record RingEvent(Timestamp time, Flow flow, LostEvent lost) {

	public static RingEvent of(Flow flow) {
		return new RingEvent(flow.getTime(), flow, null);
	}

	public static RingEvent lost(Timestamp time, LostEventSource source, long count) {
		return new RingEvent(time, null, LostEvent.newBuilder().setSource(source).setNumEventsLost(count).build());
	}

	public boolean isFlow() {
		return this.flow != null;
	}

}
