package io.jcilium.identity.grpc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.caller.Caller;
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
import io.jcilium.api.identity.v1.RegisterRequest;
import io.jcilium.api.identity.v1.RegisterResponse;
import io.jcilium.api.identity.v1.ReleaseRequest;
import io.jcilium.api.identity.v1.ReleaseResponse;
import io.jcilium.api.identity.v1.WatchRequest;
import io.jcilium.identity.allocation.Allocation;
import io.jcilium.identity.allocation.Futures;
import io.jcilium.identity.allocation.Heartbeat;
import io.jcilium.identity.allocation.IdentityAllocator;

/**
 * The {@code identity.v1.IdentityService} gRPC API: maps messages to the allocator and
 * its errors to status codes ({@link GrpcErrors}). Its own rules are those of the API's
 * callers: who may act for a node ({@link Caller}), how many Watch streams a caller may
 * hold, how fast they are fed, how large a List page is.
 * <p>
 * Allocate, Release, Heartbeat and Register act for the node they name: only that node or
 * the operator may make them. Lookups, List and Watch only read and are open to every
 * caller.
 */
final class IdentityGrpcService extends IdentityServiceGrpc.IdentityServiceImplBase {

	private final IdentityAllocator allocator;

	private final BlockingCalls blocking;

	private final Map<FlowControlledStream<IdentityEvent>, Runnable> openWatches = new ConcurrentHashMap<>();

	private final WatchStreams watchStreams;

	private final int watchBufferEvents;

	private final IdentityPages pages;

	/**
	 * @param allocator the allocator
	 * @param blocking runs the calls that wait for Redis or do bulk work: the server runs
	 * handlers on its transport threads, which must never wait
	 * @param limits the limits per caller
	 */
	IdentityGrpcService(IdentityAllocator allocator, Executor blocking, GrpcLimitsProperties limits) {
		this.allocator = allocator;
		this.blocking = new BlockingCalls(blocking);
		this.watchStreams = new WatchStreams(limits.watchStreamsPerCaller());
		this.watchBufferEvents = limits.watchBufferEvents();
		this.pages = new IdentityPages(limits.listPageSizeMax());
	}

	@Override
	public void allocate(AllocateRequest request, StreamObserver<AllocateResponse> responses) {
		// No thread waits for Redis: the reply completes the call from Lettuce's event
		// loop.
		CompletionStage<Allocation> allocation;
		try {
			Caller.current().requireActingFor(request.getNode(), "Allocate");
			allocation = this.allocator.allocateAsync(request.getLabelsList(), request.getNode());
		}
		catch (StatusRuntimeException ex) {
			responses.onError(ex);
			return;
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
				.setIdentity(IdentityMessages.toProto(allocated.identity()))
				.setCreated(allocated.created())
				.build());
			responses.onCompleted();
		});
	}

	@Override
	public void release(ReleaseRequest request, StreamObserver<ReleaseResponse> responses) {
		if (!permitted(responses, () -> Caller.current().requireActingFor(request.getNode(), "Release"))) {
			return;
		}
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
			responses.onNext(IdentityMessages.toProto(known));
			responses.onCompleted();
			return;
		}
		unary(responses, () -> IdentityMessages.toProto(this.allocator.lookup(id)));
	}

	@Override
	public void lookupByLabels(LookupByLabelsRequest request, StreamObserver<Identity> responses) {
		unary(responses, () -> IdentityMessages.toProto(this.allocator.lookupByLabels(request.getLabelsList())));
	}

	@Override
	public void list(ListRequest request, StreamObserver<ListResponse> responses) {
		unary(responses, () -> this.pages.page(this.allocator.list(), request));
	}

	@Override
	public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> responses) {
		if (!permitted(responses, () -> Caller.current().requireActingFor(request.getNode(), "Heartbeat"))) {
			return;
		}
		unary(responses, () -> {
			Heartbeat heartbeat = this.allocator.heartbeat(request.getNode());
			return HeartbeatResponse.newBuilder()
				.setLeaseTtlSeconds((int) heartbeat.leaseTtl().toSeconds())
				.setLeaseLost(heartbeat.leaseLost())
				.build();
		});
	}

	@Override
	public void register(RegisterRequest request, StreamObserver<RegisterResponse> responses) {
		if (!permitted(responses, () -> Caller.current().requireActingFor(request.getNode(), "Register"))) {
			return;
		}
		unary(responses, () -> {
			List<io.jcilium.identity.allocation.Identity> held = request.getIdentitiesList()
				.stream()
				.map((identity) -> new io.jcilium.identity.allocation.Identity(identity.getId(),
						identity.getLabelsList(), false))
				.toList();
			RegisterResponse.Builder response = RegisterResponse.newBuilder();
			this.allocator.register(held, request.getNode())
				.forEach((identity) -> response.addIdentities(IdentityMessages.toProto(identity)));
			return response.build();
		});
	}

	@Override
	public void watch(WatchRequest request, StreamObserver<IdentityEvent> responses) {
		ServerCallStreamObserver<IdentityEvent> stream = (ServerCallStreamObserver<IdentityEvent>) responses;
		String caller = Caller.currentQuotaKey();
		if (!permitted(responses, () -> this.watchStreams.open(caller))) {
			return;
		}
		AtomicReference<AutoCloseable> handle = new AtomicReference<>();
		AtomicBoolean ended = new AtomicBoolean();
		AtomicReference<FlowControlledStream<IdentityEvent>> flow = new AtomicReference<>();
		Runnable end = () -> {
			if (ended.compareAndSet(false, true)) {
				this.openWatches.remove(flow.get());
				this.watchStreams.close(caller);
			}
			close(handle.get());
		};
		// Here, not on the executor: gRPC accepts cancel and ready handlers only before
		// the handler returns.
		flow.set(new FlowControlledStream<>(stream, this.watchBufferEvents, end));
		this.openWatches.put(flow.get(), end);
		stream.setOnCancelHandler(end);
		// The snapshot can be the whole table: not on a transport thread.
		this.blocking.run(responses, () -> {
			handle.set(this.allocator.watch((event) -> flow.get().send(IdentityMessages.toProto(event))));
			if (stream.isCancelled() || ended.get()) {
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
			stream.fail(Status.UNAVAILABLE
				.withDescription("identity-service is shutting down; watch again (another replica answers)"));
		});
	}

	/** Open Watch streams of a caller (its quota key), for tests and metrics. */
	int openWatchStreams(String caller) {
		return this.watchStreams.openStreams(caller);
	}

	/**
	 * Runs an authorisation or limit check on the transport thread, where the caller is
	 * known; a refusal ends the call.
	 */
	private static boolean permitted(StreamObserver<?> responses, Runnable check) {
		try {
			check.run();
			return true;
		}
		catch (StatusRuntimeException ex) {
			responses.onError(ex);
			return false;
		}
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

}
