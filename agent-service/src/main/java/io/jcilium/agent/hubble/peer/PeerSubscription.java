package io.jcilium.agent.hubble.peer;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Consumer;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.jcilium.api.hubble.peer.ChangeNotification;

/**
 * One {@code Notify} call: notifications wait in a bounded queue until gRPC flow control
 * lets them out, so a slow client never holds up the informer. A client that lets the
 * queue fill is cut off with {@code RESOURCE_EXHAUSTED} (upstream ends the stream too);
 * it reconnects and starts again from the full list.
 */
final class PeerSubscription implements Consumer<ChangeNotification> {

	private final ServerCallStreamObserver<ChangeNotification> call;

	private final int maxQueued;

	private final Queue<ChangeNotification> queue = new ArrayDeque<>();

	private Runnable unsubscribe = () -> {
	};

	private boolean closed;

	PeerSubscription(ServerCallStreamObserver<ChangeNotification> call, int maxQueued) {
		this.call = call;
		this.maxQueued = maxQueued;
		call.setOnReadyHandler(this::drain);
		call.setOnCancelHandler(this::close);
	}

	void subscribed(Runnable unsubscribe) {
		boolean closedMeanwhile;
		synchronized (this) {
			this.unsubscribe = unsubscribe;
			closedMeanwhile = this.closed;
		}
		if (closedMeanwhile) {
			unsubscribe.run();
		}
	}

	@Override
	public synchronized void accept(ChangeNotification notification) {
		if (this.closed) {
			return;
		}
		if (this.queue.size() >= this.maxQueued) {
			// On the informer's thread, which holds the peers' lock already.
			close();
			this.call.onError(Status.RESOURCE_EXHAUSTED
				.withDescription(
						"peer notifications not read fast enough: more than " + this.maxQueued + " waiting to be sent")
				.asRuntimeException());
			return;
		}
		this.queue.add(notification);
		drain();
	}

	private synchronized void drain() {
		while (!this.closed && !this.queue.isEmpty() && this.call.isReady()) {
			this.call.onNext(this.queue.poll());
		}
	}

	/**
	 * Unsubscribes outside this object's lock: the informer's thread takes the peers'
	 * lock, then this one; a cancellation must not take them the other way round.
	 */
	private void close() {
		Runnable unsubscribing;
		synchronized (this) {
			this.closed = true;
			this.queue.clear();
			unsubscribing = this.unsubscribe;
		}
		unsubscribing.run();
	}

}
