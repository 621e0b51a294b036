package io.jcilium.identity.client;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Jobs;

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
	static final List<String> OPERATIONS = List.of("allocate", "release", "lookup", "lookup-by-labels", "heartbeat",
			"register");

	private final ManagedChannel channel;

	private final boolean ownsChannel;

	private final IdentityClientSettings settings;

	private final GuardedCalls guarded;

	private final IdentityCalls calls;

	private final IdentityCache cache = new IdentityCache();

	private final Jobs jobs;

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
		this.guarded = new GuardedCalls(settings, clock, channel::resetConnectBackoff);
		this.calls = new IdentityCalls(channel, this.guarded, settings.node());
		// The lease's job runs on the scheduler's one thread; the Watch stream has its
		// own.
		this.jobs = new Jobs("identity-client-" + settings.grpcTarget(), 1);
		this.watch = new WatchFeed(channel, settings.grpcTarget(), settings.node(), this.cache,
				Backoff.exponential(settings.watchBackoff().initial(), settings.watchBackoff().max()), this.jobs);
		this.lease = new NodeLease(settings.node(), this.calls::heartbeat, settings.heartbeatInterval(), this.jobs);
	}

	/**
	 * A client with its own plaintext channel to {@link IdentityClientSettings#target()}
	 * (a development setting: an identity-service with mTLS refuses it); closing the
	 * client closes the channel.
	 * @param settings the settings
	 * @return the client, not started
	 */
	public static IdentityClient create(IdentityClientSettings settings) {
		return create(settings, InsecureChannelCredentials.create());
	}

	/**
	 * A client with its own channel to {@link IdentityClientSettings#target()}, secured
	 * by the given credentials (with mTLS: this node's certificate, which must name
	 * {@link IdentityClientSettings#node()}, and the cluster's CA); closing the client
	 * closes the channel.
	 * @param settings the settings
	 * @param credentials the channel's credentials, e.g. {@code TlsChannelCredentials}
	 * @return the client, not started
	 */
	public static IdentityClient create(IdentityClientSettings settings, ChannelCredentials credentials) {
		// gRPC's own retries stay off: GuardedCalls retries, and should be the only one.
		ManagedChannel channel = Grpc.newChannelBuilder(settings.grpcTarget(), credentials)
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
		return this.calls.allocate(labels, node);
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
		return this.calls.release(id, node);
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
		return this.calls.lookup(id);
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
		return this.calls.lookupByLabels(labels);
	}

	/**
	 * Renews the node's lease (the client does so on its own once started).
	 * @return how long the lease lasts without another renewal
	 */
	public Duration heartbeat(String node) {
		return this.calls.heartbeat(node).ttl();
	}

	/**
	 * Registers again the identities a node holds, so that its references (and, after the
	 * store lost its data, the numbers) come back. Made by the {@link #onLeaseLost}
	 * handler.
	 * @param held the held identities, number to labels
	 * @param node the node holding them
	 * @return each held number to the number its labels have now: the same unless the
	 * number went to other labels meanwhile
	 * @throws IdentityUnavailableException when the service or its Redis is down
	 */
	public Map<Long, Long> register(Map<Long, Labels> held, String node) {
		if (held.isEmpty()) {
			return Map.of();
		}
		return this.calls.register(held, node);
	}

	/**
	 * Sets what runs when a heartbeat reports this node's lease lost (it expired while
	 * the node was cut off, or the store lost its data): typically {@link #register} of
	 * every identity the node holds. It runs on the lease's job, and again on each
	 * renewal until it returns without an exception.
	 * @param handler the handler
	 */
	public void onLeaseLost(Runnable handler) {
		this.lease.onLeaseLost(handler);
	}

	/** The local identity table the Watch stream feeds. */
	public IdentityCache cache() {
		return this.cache;
	}

	public IdentityClientSettings settings() {
		return this.settings;
	}

	public CircuitBreaker.State circuitBreakerState() {
		return this.guarded.circuitBreakerState();
	}

	/**
	 * What is down and since when, e.g. {@code since 2026-01-01T10:00:00Z (UNAVAILABLE:
	 * Redis is unavailable)}.
	 * @return the description, or empty while the service answers
	 */
	public Optional<String> outage() {
		return this.guarded.outage();
	}

	/** Times the Watch stream was opened again after it ended or broke. */
	public long watchReconnects() {
		return this.watch.reconnects();
	}

	/**
	 * The client's background jobs (the Watch stream, the lease renewal), for metrics and
	 * health.
	 * @return the jobs
	 */
	public Jobs jobs() {
		return this.jobs;
	}

	long successes(String operation) {
		return this.guarded.successes(operation);
	}

	long failures(String operation) {
		return this.guarded.failures(operation);
	}

	/**
	 * Stops the Watch stream and the lease renewal; closes the channel if it is the
	 * client's.
	 */
	@Override
	public void close() {
		this.watch.close();
		this.lease.close();
		this.jobs.close();
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

}
