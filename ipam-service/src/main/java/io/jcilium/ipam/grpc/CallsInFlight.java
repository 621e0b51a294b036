package io.jcilium.ipam.grpc;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Refuses calls with RESOURCE_EXHAUSTED while too many are in flight. With a fixed number
 * of threads running them, this bounds the queue of calls waiting for a thread, which
 * grpc-java's own executor lets grow without limit, and answers a flood at once instead
 * of after every queued call's Redis wait.
 */
final class CallsInFlight implements ServerInterceptor {

	private final int max;

	private final AtomicInteger inFlight = new AtomicInteger();

	CallsInFlight(int max) {
		this.max = max;
	}

	@Override
	public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
			ServerCallHandler<Q, R> next) {
		if (this.inFlight.incrementAndGet() > this.max) {
			this.inFlight.decrementAndGet();
			call.close(Status.RESOURCE_EXHAUSTED.withDescription("ipam-service has " + this.max
					+ " calls in flight, the most " + IpamGrpcProperties.MAX_CALLS_PROPERTY + " allows; retry later"),
					new Metadata());
			return new ServerCall.Listener<>() {
			};
		}
		AtomicBoolean done = new AtomicBoolean();
		Runnable finish = () -> {
			if (done.compareAndSet(false, true)) {
				this.inFlight.decrementAndGet();
			}
		};
		ServerCall<Q, R> counted = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {

			@Override
			public void close(Status status, Metadata trailers) {
				finish.run();
				super.close(status, trailers);
			}

		};
		ServerCall.Listener<Q> listener;
		try {
			listener = next.startCall(counted, headers);
		}
		catch (RuntimeException ex) {
			finish.run();
			throw ex;
		}
		return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {

			@Override
			public void onCancel() {
				finish.run();
				super.onCancel();
			}

			@Override
			public void onComplete() {
				finish.run();
				super.onComplete();
			}

		};
	}

	int inFlight() {
		return this.inFlight.get();
	}

}
