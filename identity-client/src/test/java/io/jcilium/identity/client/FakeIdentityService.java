package io.jcilium.identity.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.AllocateResponse;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityEvent;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.LookupRequest;
import io.jcilium.api.identity.v1.WatchRequest;

/**
 * A hand-written stand-in for identity-service, for the client's own logic (retries,
 * breaker, deadlines); the real service is tested in identity-service's
 * {@code IdentityClientIT}. Allocate answers what {@link #allocateAnswer} says.
 */
final class FakeIdentityService extends IdentityServiceGrpc.IdentityServiceImplBase {

	final AtomicInteger allocateAttempts = new AtomicInteger();

	/** Per allocate attempt: the time its deadline left when it arrived, in ms. */
	final List<Long> allocateDeadlinesMillis = new CopyOnWriteArrayList<>();

	final AtomicInteger lookupAttempts = new AtomicInteger();

	final List<StreamObserver<IdentityEvent>> watchers = new CopyOnWriteArrayList<>();

	/** Completes when the first watch call arrives. */
	final CompletableFuture<Void> watching = new CompletableFuture<>();

	/** Per attempt: an id to answer, a Status to fail with, or null to never answer. */
	volatile Supplier<Object> allocateAnswer = () -> 256;

	@Override
	public void allocate(AllocateRequest request, StreamObserver<AllocateResponse> responses) {
		this.allocateAttempts.incrementAndGet();
		Deadline deadline = Context.current().getDeadline();
		this.allocateDeadlinesMillis.add((deadline != null) ? deadline.timeRemaining(TimeUnit.MILLISECONDS) : -1);
		Object answer = this.allocateAnswer.get();
		if (answer instanceof Status status) {
			responses.onError(status.asRuntimeException());
		}
		else if (answer instanceof Integer id) {
			responses.onNext(AllocateResponse.newBuilder()
				.setIdentity(Identity.newBuilder().setId(id).addAllLabels(request.getLabelsList()))
				.build());
			responses.onCompleted();
		}
	}

	@Override
	public void lookup(LookupRequest request, StreamObserver<Identity> responses) {
		this.lookupAttempts.incrementAndGet();
		responses.onError(Status.NOT_FOUND.withDescription("identity " + request.getId() + " does not exist")
			.asRuntimeException());
	}

	@Override
	public void watch(WatchRequest request, StreamObserver<IdentityEvent> responses) {
		this.watchers.add(responses);
		this.watching.complete(null);
	}

	void send(IdentityEvent event) {
		this.watchers.forEach((watcher) -> watcher.onNext(event));
	}

}
