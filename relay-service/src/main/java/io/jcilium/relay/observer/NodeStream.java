package io.jcilium.relay.observer;

import java.util.function.Consumer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.relay.pool.PeerConnection;

/**
 * One node's {@code GetFlows} stream for one relay request. Responses arrive on gRPC's
 * threads, are read for their time there ({@link WireResponse}, so the nodes' streams are
 * read in parallel) and handed to the request's merging thread as events. Flow control is
 * manual: the node may send at most {@code window} responses the merge has not taken yet,
 * so a node that runs ahead waits (through HTTP/2 flow control, never by blocking a
 * thread) instead of filling the relay's memory. A failure that means the node is away
 * marks its connection failed, so the pool retries it with backoff.
 */
final class NodeStream extends ClientCall.Listener<byte[]> {

	private final PeerConnection connection;

	private final Consumer<NodeEvent> events;

	private final int window;

	private final ClientCall<GetFlowsRequest, byte[]> call;

	private volatile boolean cancelled;

	// Taken by the merging thread and not yet asked again from the node.
	private int takenSinceRequest;

	NodeStream(PeerConnection connection, Consumer<NodeEvent> events, int window) {
		this.connection = connection;
		this.events = events;
		this.window = window;
		this.call = connection.newCall(RawGetFlows.METHOD);
	}

	String node() {
		return this.connection.name();
	}

	void start(GetFlowsRequest request) {
		this.call.start(this, new Metadata());
		this.call.sendMessage(request);
		this.call.halfClose();
		this.call.request(this.window);
	}

	/**
	 * The merging thread took one of the node's responses: the node may send one more.
	 */
	void taken() {
		// Asked in batches of half the window: one request() per response would cost as
		// much as the response.
		if (++this.takenSinceRequest >= Math.max(1, this.window / 2)) {
			this.call.request(this.takenSinceRequest);
			this.takenSinceRequest = 0;
		}
	}

	void cancel() {
		this.cancelled = true;
		this.call.cancel("the relay's client went away or the request ended", null);
	}

	@Override
	public void onMessage(byte[] message) {
		try {
			this.events.accept(new NodeEvent.Response(node(), WireResponse.scan(message)));
		}
		catch (InvalidProtocolBufferException ex) {
			this.call.cancel("the node sent a response that is not a GetFlowsResponse: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void onClose(Status status, Metadata trailers) {
		if (this.cancelled) {
			// The relay's own doing: says nothing about the node.
			return;
		}
		if (status.isOk()) {
			this.events.accept(new NodeEvent.Ended(node()));
			return;
		}
		boolean unavailable = isUnavailable(status);
		if (unavailable) {
			this.connection.failed(status.asRuntimeException(trailers));
		}
		this.events.accept(new NodeEvent.Failed(node(), status, unavailable));
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

}
