package io.jcilium.identity.grpc;

import java.util.ArrayDeque;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * Sends a Watch stream's events no faster than the client reads them (gRPC's
 * {@code isReady}/{@code onReady} flow control), holding at most a bounded number
 * meanwhile. A client that falls further behind is dropped with RESOURCE_EXHAUSTED and
 * watches again, getting a fresh snapshot: the alternatives are memory without bound in
 * the service or blocking the cache that every other stream is fed from.
 *
 * @param <T> the event type
 */
final class FlowControlledStream<T> {

	static final String BUFFER_PROPERTY = "jcilium.identity.grpc.watch-buffer-events";

	private final ServerCallStreamObserver<T> stream;

	private final int maxBuffered;

	private final Runnable end;

	private final ArrayDeque<T> buffered = new ArrayDeque<>();

	private boolean ended;

	/**
	 * Takes over the stream's ready handler; call from the gRPC handler, before it
	 * returns.
	 * @param stream the server side of the stream
	 * @param maxBuffered most events held while the client does not read
	 * @param end run once when the stream is dropped for falling behind
	 */
	FlowControlledStream(ServerCallStreamObserver<T> stream, int maxBuffered, Runnable end) {
		this.stream = stream;
		this.maxBuffered = maxBuffered;
		this.end = end;
		stream.setOnReadyHandler(this::drain);
	}

	/**
	 * Sends the event, or holds it until the client reads.
	 * @throws IllegalStateException when the stream is gone, so the sender stops
	 */
	synchronized void send(T event) {
		if (this.ended || this.stream.isCancelled()) {
			throw new IllegalStateException("watch stream ended");
		}
		if (this.buffered.isEmpty() && this.stream.isReady()) {
			this.stream.onNext(event);
			return;
		}
		if (this.buffered.size() >= this.maxBuffered) {
			this.ended = true;
			this.buffered.clear();
			this.stream.onError(
					Status.RESOURCE_EXHAUSTED
						.withDescription("watcher fell more than " + this.maxBuffered + " events behind ("
								+ BUFFER_PROPERTY + "); watch again for a fresh snapshot")
						.asRuntimeException());
			this.end.run();
			throw new IllegalStateException("watch stream dropped: client too slow");
		}
		this.buffered.add(event);
	}

	synchronized int buffered() {
		return this.buffered.size();
	}

	/** Ends the stream with the status, unless it ended already. */
	synchronized void fail(Status status) {
		if (!this.ended) {
			this.ended = true;
			this.buffered.clear();
			try {
				this.stream.onError(status.asRuntimeException());
			}
			catch (IllegalStateException ignored) {
				// The stream ended meanwhile.
			}
		}
	}

	private synchronized void drain() {
		while (!this.ended && !this.buffered.isEmpty() && this.stream.isReady()) {
			this.stream.onNext(this.buffered.poll());
		}
	}

}
