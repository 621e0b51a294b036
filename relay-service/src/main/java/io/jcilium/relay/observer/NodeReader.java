package io.jcilium.relay.observer;

import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.relay.pool.PeerConnection;

/**
 * Reads one node's {@code GetFlows} stream into the request's queue. It waits while the
 * queue is full (the agent's stream waits in turn, through gRPC flow control) and stops
 * when the request's context is cancelled. A failure that means the node is away marks
 * its connection failed, so the pool retries it with backoff.
 */
final class NodeReader implements Runnable {

	private static final long OFFER_POLL_MILLIS = 100;

	private final PeerConnection connection;

	private final GetFlowsRequest request;

	private final BlockingQueue<NodeEvent> events;

	private final Context.CancellableContext context;

	NodeReader(PeerConnection connection, GetFlowsRequest request, BlockingQueue<NodeEvent> events,
			Context.CancellableContext context) {
		this.connection = connection;
		this.request = request;
		this.events = events;
		this.context = context;
	}

	@Override
	public void run() {
		try {
			read();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void read() throws InterruptedException {
		String node = this.connection.name();
		try {
			Iterator<GetFlowsResponse> responses = this.connection.observer().getFlows(this.request);
			while (responses.hasNext()) {
				if (!put(new NodeEvent.Response(node, responses.next()))) {
					return;
				}
			}
			put(new NodeEvent.Ended(node));
		}
		catch (StatusRuntimeException ex) {
			if (this.context.isCancelled()) {
				return;
			}
			boolean unavailable = isUnavailable(ex.getStatus());
			if (unavailable) {
				this.connection.failed(ex);
			}
			put(new NodeEvent.Failed(node, ex.getStatus(), unavailable));
		}
	}

	/**
	 * Whether the status says the node is away rather than that it refused the request: a
	 * refusal (bad filter, too many streams) would be the same on retry.
	 */
	static boolean isUnavailable(Status status) {
		return switch (status.getCode()) {
			case INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNIMPLEMENTED, PERMISSION_DENIED, UNAUTHENTICATED,
					FAILED_PRECONDITION, OUT_OF_RANGE ->
				false;
			default -> true;
		};
	}

	private boolean put(NodeEvent event) throws InterruptedException {
		while (!this.events.offer(event, OFFER_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
			if (this.context.isCancelled()) {
				return false;
			}
		}
		return true;
	}

}
