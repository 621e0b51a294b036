package io.jcilium.agent.hubble;

import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.jcilium.agent.hubble.history.HistoryReader;
import io.jcilium.agent.hubble.metrics.FlowMetrics;
import io.jcilium.agent.hubble.ring.FlowRing;
import io.jcilium.agent.hubble.ring.RingEvent;
import io.jcilium.agent.hubble.ring.RingReader;
import io.jcilium.api.hubble.flow.LostEventSource;
import io.jcilium.api.hubble.observer.GetFlowsResponse;

/**
 * One running {@code GetFlows} call, on a thread of its own: reads the ring from where
 * the query starts and sends what matches. It waits for a slow client (gRPC flow control)
 * but the ring does not wait for it: whatever is overwritten meanwhile reaches the client
 * as one lost-events message with the exact count. A call with {@code since} on an agent
 * that keeps a flow history first reads the history, then the ring from where the history
 * stops.
 */
final class FlowStream implements Runnable {

	private static final long FOLLOW_POLL_MILLIS = 200;

	private final FlowQuery query;

	private final ServerCallStreamObserver<GetFlowsResponse> call;

	private final String nodeName;

	private final FlowMetrics metrics;

	private final Object ready = new Object();

	private final FlowRing ring;

	private final HistoryReader history;

	private RingReader reader;

	// Where the ring's part of the past ends: a call without follow stops there.
	private final long end;

	private long sent;

	FlowStream(FlowRing ring, FlowQuery query, ServerCallStreamObserver<GetFlowsResponse> call, String nodeName,
			FlowMetrics metrics) {
		this(ring, null, query, call, nodeName, metrics);
	}

	/**
	 * @param history read before the ring, null for the ring alone
	 */
	FlowStream(FlowRing ring, HistoryReader history, FlowQuery query, ServerCallStreamObserver<GetFlowsResponse> call,
			String nodeName, FlowMetrics metrics) {
		this.query = query;
		this.call = call;
		this.nodeName = nodeName;
		this.metrics = metrics;
		this.ring = ring;
		this.history = history;
		// Placed on the calling thread, so a follow starts from when the call arrived,
		// not from when its thread got to run.
		this.reader = (history != null) ? null : query.start(ring);
		this.end = ring.writePosition();
		// Must be set before the service method returns.
		call.setOnReadyHandler(this::wake);
		call.setOnCancelHandler(this::wake);
	}

	@Override
	public void run() {
		try {
			stream();
			if (!this.call.isCancelled()) {
				this.call.onCompleted();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			if (!this.call.isCancelled()) {
				this.call
					.onError(Status.UNAVAILABLE.withDescription("the agent is shutting down").asRuntimeException());
			}
		}
		catch (RuntimeException ex) {
			if (!this.call.isCancelled()) {
				this.call.onError(Status.INTERNAL.withDescription(ex.toString()).asRuntimeException());
			}
		}
	}

	private void stream() throws InterruptedException {
		if (this.history != null) {
			try (HistoryReader past = this.history) {
				for (RingEvent event = past.next(); event != null; event = past.next()) {
					if (this.call.isCancelled() || !handle(event, false)) {
						return;
					}
				}
				this.reader = this.ring.readerAt(past.ringStart());
			}
		}
		RingReader reader = this.reader;
		while (!this.call.isCancelled()) {
			if (!this.query.follow() && reader.position() >= this.end) {
				return;
			}
			RingEvent event = this.query.follow() ? reader.next(FOLLOW_POLL_MILLIS, TimeUnit.MILLISECONDS)
					: reader.next();
			if (event == null) {
				if (this.query.follow() && this.query.untilNanos() != Long.MAX_VALUE && this.query.pastUntil(now())) {
					return;
				}
				continue;
			}
			if (!handle(event, true)) {
				return;
			}
		}
	}

	/**
	 * Sends the event if the query selects it.
	 * @param event from the history or the ring
	 * @param fromRing whether this reader lost what a ring lost-events record counts
	 * @return whether the call goes on
	 */
	private boolean handle(RingEvent event, boolean fromRing) throws InterruptedException {
		GetFlowsResponse.Builder response = GetFlowsResponse.newBuilder()
			.setNodeName(this.nodeName)
			.setTime(event.time());
		if (event.isFlow()) {
			if (this.query.pastUntil(event.flow().getTime())) {
				return false;
			}
			if (!this.query.selects(event.flow())) {
				return true;
			}
			response.setFlow(this.query.shown(event.flow()));
		}
		else {
			response.setLostEvents(event.lost());
			if (fromRing && event.lost().getSource() == LostEventSource.HUBBLE_RING_BUFFER) {
				// Lost by this reader only, so counted here rather than by the
				// observer.
				this.metrics.lost(LostEventSource.HUBBLE_RING_BUFFER, event.lost().getNumEventsLost());
			}
		}
		send(response.build());
		return !(event.isFlow() && ++this.sent == this.query.number() && !this.query.follow());
	}

	private void send(GetFlowsResponse response) throws InterruptedException {
		// The monitor only when the transport is full: taking it per message cost more
		// than the message.
		if (!this.call.isReady()) {
			synchronized (this.ready) {
				while (!this.call.isReady() && !this.call.isCancelled()) {
					this.ready.wait(FOLLOW_POLL_MILLIS);
				}
			}
		}
		if (!this.call.isCancelled()) {
			this.call.onNext(response);
		}
	}

	private void wake() {
		synchronized (this.ready) {
			this.ready.notifyAll();
		}
	}

	private static com.google.protobuf.Timestamp now() {
		java.time.Instant now = java.time.Instant.now();
		return com.google.protobuf.Timestamp.newBuilder()
			.setSeconds(now.getEpochSecond())
			.setNanos(now.getNano())
			.build();
	}

}
