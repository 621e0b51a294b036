package io.jcilium.identity.grpc;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * Runs the calls that wait (for Redis, or over the whole table) away from the gRPC
 * transport threads, which handle every call and must never wait; a full queue is
 * answered with RESOURCE_EXHAUSTED instead of growing without bound.
 */
final class BlockingCalls {

	private final Executor executor;

	BlockingCalls(Executor executor) {
		this.executor = executor;
	}

	/** Computes the single response of a unary call on the executor. */
	<T> void answer(StreamObserver<T> responses, Supplier<T> call) {
		run(responses, () -> {
			T response;
			try {
				response = call.get();
			}
			catch (RuntimeException ex) {
				responses.onError(GrpcErrors.toStatus(ex).asRuntimeException());
				return;
			}
			responses.onNext(response);
			responses.onCompleted();
		});
	}

	/** Runs the work on the executor, or fails the call when the executor is full. */
	void run(StreamObserver<?> responses, Runnable work) {
		try {
			this.executor.execute(work);
		}
		catch (RejectedExecutionException ex) {
			responses.onError(Status.RESOURCE_EXHAUSTED
				.withDescription("identity-service is overloaded (too many calls waiting for Redis); retry later")
				.asRuntimeException());
		}
	}

}
