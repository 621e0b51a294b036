package io.jcilium.identity.grpc;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.AllocateResponse;
import io.jcilium.api.identity.v1.HeartbeatRequest;
import io.jcilium.api.identity.v1.HeartbeatResponse;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityEvent;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.api.identity.v1.ListResponse;
import io.jcilium.api.identity.v1.LookupByLabelsRequest;
import io.jcilium.api.identity.v1.LookupRequest;
import io.jcilium.api.identity.v1.ReleaseRequest;
import io.jcilium.api.identity.v1.ReleaseResponse;
import io.jcilium.api.identity.v1.WatchRequest;
import io.jcilium.identity.allocation.Allocation;
import io.jcilium.identity.allocation.Futures;
import io.jcilium.identity.allocation.IdentityAllocator;
import io.jcilium.identity.allocation.WatchEvent;

/**
 * The {@code identity.v1.IdentityService} gRPC API: maps messages to the allocator and
 * its errors to status codes ({@link GrpcErrors}); no rules of its own.
 */
final class IdentityGrpcService extends IdentityServiceGrpc.IdentityServiceImplBase {

	private final IdentityAllocator allocator;

	private final BlockingCalls blocking;

	private final Map<ServerCallStreamObserver<IdentityEvent>, Runnable> openWatches = new ConcurrentHashMap<>();

	/**
	 * @param allocator the allocator
	 * @param blocking runs the calls that wait for Redis or do bulk work: the server runs
	 * handlers on its transport threads, which must never wait
	 */
	IdentityGrpcService(IdentityAllocator allocator, Executor blocking) {
		this.allocator = allocator;
		this.blocking = new BlockingCalls(blocking);
	}

	@Override
	public void allocate(AllocateRequest request, StreamObserver<AllocateResponse> responses) {
		// No thread waits for Redis: the reply completes the call from Lettuce's event
		// loop.
		CompletionStage<Allocation> allocation;
		try {
			allocation = this.allocator.allocateAsync(request.getLabelsList(), request.getNode());
		}
		catch (RuntimeException ex) {
			responses.onError(GrpcErrors.toStatus(ex).asRuntimeException());
			return;
		}
		allocation.whenComplete((allocated, error) -> {
			if (error != null) {
				responses.onError(GrpcErrors.toStatus(Futures.unwrap(error)).asRuntimeException());
				return;
			}
			responses.onNext(AllocateResponse.newBuilder()
				.setIdentity(toProto(allocated.identity()))
				.setCreated(allocated.created())
				.build());
			responses.onCompleted();
		});
	}

	@Override
	public void release(ReleaseRequest request, StreamObserver<ReleaseResponse> responses) {
		unary(responses,
				() -> ReleaseResponse.newBuilder()
					.setReleased(this.allocator.release(Integer.toUnsignedLong(request.getId()), request.getNode()))
					.build());
	}

	@Override
	public void lookup(LookupRequest request, StreamObserver<Identity> responses) {
		long id = Integer.toUnsignedLong(request.getId());
		io.jcilium.identity.allocation.Identity known;
		try {
			known = this.allocator.lookupKnown(id);
		}
		catch (RuntimeException ex) {
			responses.onError(GrpcErrors.toStatus(ex).asRuntimeException());
			return;
		}
		if (known != null) {
			// Reserved or cached: answered on the spot.
			responses.onNext(toProto(known));
			responses.onCompleted();
			return;
		}
		unary(responses, () -> toProto(this.allocator.lookup(id)));
	}

	@Override
	public void lookupByLabels(LookupByLabelsRequest request, StreamObserver<Identity> responses) {
		unary(responses, () -> toProto(this.allocator.lookupByLabels(request.getLabelsList())));
	}

	@Override
	public void list(ListRequest request, StreamObserver<ListResponse> responses) {
		unary(responses, () -> {
			ListResponse.Builder list = ListResponse.newBuilder();
			this.allocator.list().forEach((identity) -> list.addIdentities(toProto(identity)));
			return list.build();
		});
	}

	@Override
	public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> responses) {
		unary(responses,
				() -> HeartbeatResponse.newBuilder()
					.setLeaseTtlSeconds((int) this.allocator.heartbeat(request.getNode()).toSeconds())
					.build());
	}

	@Override
	public void watch(WatchRequest request, StreamObserver<IdentityEvent> responses) {
		ServerCallStreamObserver<IdentityEvent> stream = (ServerCallStreamObserver<IdentityEvent>) responses;
		AtomicReference<AutoCloseable> handle = new AtomicReference<>();
		Runnable end = () -> {
			this.openWatches.remove(stream);
			close(handle.get());
		};
		this.openWatches.put(stream, end);
		// Here, not on the executor: gRPC accepts a cancel handler only before the
		// handler
		// returns.
		stream.setOnCancelHandler(end);
		// The snapshot can be the whole table: not on a transport thread.
		this.blocking.run(responses, () -> {
			handle.set(this.allocator.watch((event) -> {
				// Events come from the allocator's threads; a stream takes one at a time.
				synchronized (stream) {
					if (stream.isCancelled()) {
						throw new IllegalStateException("watch stream cancelled");
					}
					stream.onNext(toProto(event));
				}
			}));
			if (stream.isCancelled()) {
				end.run();
			}
		});
	}

	/**
	 * Ends every Watch stream with UNAVAILABLE, so that agents reconnect (to another
	 * replica) at once instead of hanging on until the server's shutdown grace period
	 * runs out.
	 */
	void endWatches() {
		this.openWatches.forEach((stream, end) -> {
			end.run();
			synchronized (stream) {
				try {
					stream.onError(Status.UNAVAILABLE
						.withDescription("identity-service is shutting down; watch again (another replica answers)")
						.asRuntimeException());
				}
				catch (IllegalStateException ignored) {
					// The stream ended meanwhile.
				}
			}
		});
	}

	private static void close(AutoCloseable handle) {
		if (handle != null) {
			try {
				handle.close();
			}
			catch (Exception ignored) {
				// Unsubscribing from the in-memory cache cannot fail.
			}
		}
	}

	private <T> void unary(StreamObserver<T> responses, Supplier<T> call) {
		this.blocking.answer(responses, call);
	}

	static Identity toProto(io.jcilium.identity.allocation.Identity identity) {
		return Identity.newBuilder()
			.setId(identity.id())
			.addAllLabels(identity.labels())
			.setReserved(identity.reserved())
			.build();
	}

	static IdentityEvent toProto(WatchEvent event) {
		IdentityEvent.Builder proto = IdentityEvent.newBuilder();
		switch (event.kind()) {
			case UPSERT -> proto.setKind(IdentityEvent.Kind.UPSERT).setIdentity(toProto(event.identity()));
			case DELETE -> proto.setKind(IdentityEvent.Kind.DELETE).setIdentity(toProto(event.identity()));
			case SYNCED -> proto.setKind(IdentityEvent.Kind.SYNCED);
		}
		return proto.build();
	}

}
