package io.jcilium.agent.hubble;

import java.util.function.Predicate;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.FieldMaskUtil;
import io.jcilium.agent.hubble.filter.FlowFilters;
import io.jcilium.agent.hubble.filter.InvalidFilterException;
import io.jcilium.agent.hubble.ring.FlowRing;
import io.jcilium.agent.hubble.ring.RingEvent;
import io.jcilium.agent.hubble.ring.RingReader;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.observer.GetFlowsRequest;

/**
 * A {@code GetFlows} request made ready to run: its filters compiled, its time window,
 * and where in the ring it starts, with upstream's meaning of {@code number},
 * {@code first}, {@code follow}, {@code since} and {@code until}.
 *
 * @param filter whitelist and blacklist
 * @param sinceNanos flows before this are skipped (epoch nanoseconds, MIN_VALUE: none)
 * @param untilNanos the stream ends at the first flow after this (MAX_VALUE: none)
 * @param number how many flows at most, 0 for no limit (with {@code follow}, only the
 * history is limited)
 * @param first count from the oldest flow rather than the newest
 * @param follow keep streaming new flows
 * @param fieldMask the flow fields to send, all when it has no paths
 */
record FlowQuery(Predicate<Flow> filter, long sinceNanos, long untilNanos, long number, boolean first, boolean follow,
		FieldMask fieldMask) {

	/**
	 * @throws InvalidFilterException naming the field that cannot be used
	 */
	static FlowQuery of(GetFlowsRequest request) {
		if (request.getFirst() && request.getFollow()) {
			throw new InvalidFilterException("first", "first and follow cannot be combined");
		}
		long since = request.hasSince() ? nanos(request.getSince()) : Long.MIN_VALUE;
		long until = request.hasUntil() ? nanos(request.getUntil()) : Long.MAX_VALUE;
		if (since > until) {
			throw new InvalidFilterException("since", "since is after until");
		}
		if (request.getNumber() < 0) {
			throw new InvalidFilterException("number", "number must not exceed 2^63-1");
		}
		FieldMask mask = request.getFieldMask();
		if (mask.getPathsCount() > 0 && !FieldMaskUtil.isValid(Flow.class, mask)) {
			throw new InvalidFilterException("field_mask",
					"not every path of " + mask.getPathsList() + " names a field of flow.Flow");
		}
		return new FlowQuery(FlowFilters.compile(request.getWhitelistList(), request.getBlacklistList()), since, until,
				request.getNumber(), request.getFirst(), request.getFollow(), mask);
	}

	/** The flow as the client asked to see it (its field mask applied). */
	Flow shown(Flow flow) {
		if (this.fieldMask.getPathsCount() == 0) {
			return flow;
		}
		Flow.Builder masked = Flow.newBuilder();
		FieldMaskUtil.merge(this.fieldMask, flow, masked);
		return masked.build();
	}

	boolean inWindow(Flow flow) {
		long time = nanos(flow.getTime());
		return time >= this.sinceNanos && time <= this.untilNanos;
	}

	boolean selects(Flow flow) {
		return inWindow(flow) && this.filter.test(flow);
	}

	boolean pastUntil(Timestamp time) {
		return nanos(time) > this.untilNanos;
	}

	/** Whether the request limits the flows it sends from the history. */
	boolean limited() {
		return this.number > 0;
	}

	/**
	 * A reader placed where the request starts: the oldest flow for {@code first},
	 * {@code since} or a whole history, the head for a follow without history, else just
	 * before the last {@code number} flows that match.
	 */
	RingReader start(FlowRing ring) {
		if (this.first || this.sinceNanos != Long.MIN_VALUE || (!limited() && !this.follow)) {
			return ring.readerAt(ring.oldestPosition());
		}
		RingReader reader = ring.readerAt(ring.writePosition());
		if (!limited()) {
			return reader;
		}
		long found = 0;
		for (RingEvent event = reader.previous(); event != null; event = reader.previous()) {
			if (event.isFlow() && selects(event.flow()) && ++found == this.number) {
				break;
			}
		}
		return reader;
	}

	static long nanos(Timestamp time) {
		return time.getSeconds() * 1_000_000_000L + time.getNanos();
	}

}
