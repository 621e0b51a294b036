package io.jcilium.relay.observer;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.jcilium.api.hubble.observer.GetFlowsResponse;

/**
 * The client's side of one relay {@code GetFlows} call: responses go out as the bytes
 * they came as, and the merging thread waits while the client's transport is full (so a
 * slow client slows its own call, through flow control, and nothing else).
 */
final class ClientStream {

	private static final long READY_POLL_MILLIS = 200;

	// gRPC's default (32 KiB, about a hundred flows) has the merging thread wait and be
	// woken for every hundred flows a client reads.
	private static final int ON_READY_THRESHOLD_BYTES = 256 * 1024;

	private final ServerCallStreamObserver<byte[]> call;

	private final Object ready = new Object();

	/** Must be made before the service method returns (it sets the call's handlers). */
	ClientStream(ServerCallStreamObserver<byte[]> call) {
		this.call = call;
		call.setOnReadyThreshold(ON_READY_THRESHOLD_BYTES);
		call.setOnReadyHandler(this::wake);
		call.setOnCancelHandler(this::wake);
	}

	boolean isCancelled() {
		return this.call.isCancelled();
	}

	/** Sends a response the relay made itself (a node status). */
	void send(GetFlowsResponse response) throws InterruptedException {
		send(WireResponse.of(response));
	}

	void send(WireResponse response) throws InterruptedException {
		if (!this.call.isReady()) {
			synchronized (this.ready) {
				while (!this.call.isReady() && !this.call.isCancelled()) {
					this.ready.wait(READY_POLL_MILLIS);
				}
			}
		}
		if (!this.call.isCancelled()) {
			this.call.onNext(response.bytes());
		}
	}

	void complete() {
		if (!this.call.isCancelled()) {
			this.call.onCompleted();
		}
	}

	void fail(Status status) {
		if (!this.call.isCancelled()) {
			this.call.onError(status.asRuntimeException());
		}
	}

	private void wake() {
		synchronized (this.ready) {
			this.ready.notifyAll();
		}
	}

}
