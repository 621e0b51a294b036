package io.jcilium.identity.client;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.HeartbeatRequest;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.LookupByLabelsRequest;
import io.jcilium.api.identity.v1.LookupRequest;
import io.jcilium.api.identity.v1.ReleaseRequest;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;

/**
 * The client of identity-service ({@code identity.v1.IdentityService}): allocates and
 * releases identities for a node, looks them up (known ones from the local
 * {@link IdentityCache}, which the service's Watch stream keeps current), and keeps the
 * node's lease alive.
 * <p>
 * Every call has a deadline, retries transient failures with backoff and goes through a
 * circuit breaker: while the service or its Redis is down, calls fail within the call
 * timeout (at once once the breaker is open) with an {@link IdentityUnavailableException}
 * saying what is down and since when. Nothing is dialled before {@link #start()}, and a
 * service that is not there at start is no error: the client reports it and keeps trying.
 */
public final class IdentityClient implements AutoCloseable {

	/** The operations, as named in messages and metrics. */
	static final List<String> OPERATIONS = List.of("allocate", "release", "lookup", "lookup-by-labels", "heartbeat");

	private final ManagedChannel channel;

	private final boolean ownsChannel;

	private final IdentityClientSettings settings;

	private final GuardedCalls calls;

	private final IdentityCache cache = new IdentityCache();

	private final ScheduledExecutorService scheduler;

	private final WatchFeed watch;

	private final NodeLease lease;

	/**
	 * A client over a channel the caller manages (and closes).
	 * @param channel the channel to identity-service
	 * @param settings the settings
	 */
	public IdentityClient(ManagedChannel channel, IdentityClientSettings settings) {
		this(channel, false, settings, Clock.systemUTC());
	}

	private IdentityClient(ManagedChannel channel, boolean ownsChannel, IdentityClientSettings settings, Clock clock) {
		this.channel = channel;
		this.ownsChannel = ownsChannel;
		this.settings = settings;
		this.calls = new GuardedCalls(settings, clock, channel::resetConnectBackoff);
		this.scheduler = newScheduler(settings.grpcTarget());
		this.watch = new WatchFeed(channel, settings.grpcTarget(), settings.node(), this.cache,
				new Backoff(settings.watchBackoff().initial(), settings.watchBackoff().max()), this.scheduler);
		this.lease = new NodeLease(settings.node(), this::heartbeat, settings.heartbeatInterval(), this.scheduler);
	}

	/**
	 * A client with its own plaintext channel to {@link IdentityClientSettings#target()};
	 * closing the client closes the channel.
	 * @param settings the settings
	 * @return the client, not started
	 */
	public static IdentityClient create(IdentityClientSettings settings) {
		// gRPC's own retries stay off: GuardedCalls retries, and should be the only one.
		ManagedChannel channel = Grpc.newChannelBuilder(settings.grpcTarget(), InsecureChannelCredentials.create())
			.disableRetry()
			// Only while calls are open: the Watch stream always is.
			.keepAliveTime(settings.keepAlive().time().toNanos(), TimeUnit.NANOSECONDS)
			.keepAliveTimeout(settings.keepAlive().timeout().toNanos(), TimeUnit.NANOSECONDS)
			.build();
		return new IdentityClient(channel, true, settings, Clock.systemUTC());
	}

	/**
	 * Opens the Watch stream that feeds the cache and starts renewing the node's lease.
	 */
	public void start() {
		this.watch.start();
		this.lease.start();
	}

	/**
	 * The identity of a label set, allocated if new, with a reference held by the node.
	 * The labels of a reserved identity alone (e.g. {@code reserved:host}) give it
	 * without a call.
	 * @param labels the security-relevant labels
	 * @param node the node that holds the reference
	 * @return the numeric identity
	 * @throws IdentityUnavailableException when the service or its Redis is down
	 * @throws InvalidIdentityRequestException when the service refuses the labels
	 */
	public long allocate(Labels labels, String node) {
		OptionalLong reserved = IdentityCache.reservedId(labels);
		if (reserved.isPresent()) {
			return reserved.getAsLong();
		}
		AllocateRequest request = AllocateRequest.newBuilder().addAllLabels(texts(labels)).setNode(node).build();
		return this.calls.call("allocate", (deadline) -> Integer
			.toUnsignedLong(stub().withDeadline(deadline).allocate(request).getIdentity().getId()));
	}

	/** As {@link #allocate(Labels, String)}, for this client's node. */
	public long allocate(Labels labels) {
		return allocate(labels, this.settings.node());
	}

	/**
	 * Drops the node's reference to an identity.
	 * @return whether the node held one (false for unknown and reserved identities)
	 */
	public boolean release(long id, String node) {
		if (ReservedIdentity.fromId(id).isPresent()) {
			return false;
		}
		ReleaseRequest request = ReleaseRequest.newBuilder().setId((int) id).setNode(node).build();
		return this.calls.call("release", (deadline) -> {
			try {
				return stub().withDeadline(deadline).release(request).getReleased();
			}
			catch (StatusRuntimeException ex) {
				if (ex.getStatus().getCode() == Status.Code.NOT_FOUND) {
					return false;
				}
				throw ex;
			}
		});
	}

	/**
	 * The labels of an identity: reserved ones and those in the cache without a call (so
	 * also while the service is down), others from the service.
	 * @return the labels, or empty if no such identity exists
	 */
	public Optional<Labels> lookup(long id) {
		Optional<Labels> cached = this.cache.find(id);
		if (cached.isPresent()) {
			return cached;
		}
		LookupRequest request = LookupRequest.newBuilder().setId((int) id).build();
		return this.calls
			.call("lookup", (deadline) -> notFoundAsEmpty(() -> stub().withDeadline(deadline).lookup(request)))
			.map(IdentityClient::labels);
	}

	/**
	 * The identity of a label set, without allocating it: from the cache when known, else
	 * from the service.
	 * @return the identity, or empty if none has these labels
	 */
	public OptionalLong lookupByLabels(Labels labels) {
		OptionalLong cached = this.cache.findByLabels(labels);
		if (cached.isPresent()) {
			return cached;
		}
		LookupByLabelsRequest request = LookupByLabelsRequest.newBuilder().addAllLabels(texts(labels)).build();
		Optional<Identity> found = this.calls.call("lookup-by-labels",
				(deadline) -> notFoundAsEmpty(() -> stub().withDeadline(deadline).lookupByLabels(request)));
		return found.map((identity) -> OptionalLong.of(Integer.toUnsignedLong(identity.getId())))
			.orElse(OptionalLong.empty());
	}

	/**
	 * Renews the node's lease (the client does so on its own once started).
	 * @return how long the lease lasts without another renewal
	 */
	public Duration heartbeat(String node) {
		HeartbeatRequest request = HeartbeatRequest.newBuilder().setNode(node).build();
		return this.calls.call("heartbeat", (deadline) -> Duration
			.ofSeconds(Integer.toUnsignedLong(stub().withDeadline(deadline).heartbeat(request).getLeaseTtlSeconds())));
	}

	/** The local identity table the Watch stream feeds. */
	public IdentityCache cache() {
		return this.cache;
	}

	public IdentityClientSettings settings() {
		return this.settings;
	}

	public CircuitBreaker.State circuitBreakerState() {
		return this.calls.circuitBreakerState();
	}

	/**
	 * What is down and since when, e.g. {@code since 2026-01-01T10:00:00Z (UNAVAILABLE:
	 * Redis is unavailable)}.
	 * @return the description, or empty while the service answers
	 */
	public Optional<String> outage() {
		return this.calls.outage();
	}

	/** Times the Watch stream was opened again after it ended or broke. */
	public long watchReconnects() {
		return this.watch.reconnects();
	}

	long successes(String operation) {
		return this.calls.successes(operation);
	}

	long failures(String operation) {
		return this.calls.failures(operation);
	}

	/**
	 * Stops the Watch stream and the lease renewal; closes the channel if it is the
	 * client's.
	 */
	@Override
	public void close() {
		this.watch.close();
		this.lease.close();
		this.scheduler.shutdownNow();
		if (this.ownsChannel) {
			this.channel.shutdownNow();
			try {
				this.channel.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private IdentityServiceGrpc.IdentityServiceBlockingStub stub() {
		return IdentityServiceGrpc.newBlockingStub(this.channel);
	}

	private static <T> Optional<T> notFoundAsEmpty(Supplier<T> call) {
		try {
			return Optional.of(call.get());
		}
		catch (StatusRuntimeException ex) {
			if (ex.getStatus().getCode() == Status.Code.NOT_FOUND) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	private static List<String> texts(Labels labels) {
		return labels.toList().stream().map(Label::toString).toList();
	}

	private static Labels labels(Identity identity) {
		return Labels.parse(identity.getLabelsList());
	}

	private static ScheduledExecutorService newScheduler(String target) {
		AtomicInteger threads = new AtomicInteger();
		// Two threads: a lease renewal waiting on its deadline must not hold up a Watch
		// reconnection. Daemon threads: a forgotten client must not keep a JVM alive.
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, (task) -> {
			Thread thread = new Thread(task, "identity-client-" + threads.incrementAndGet() + "-" + target);
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

}
