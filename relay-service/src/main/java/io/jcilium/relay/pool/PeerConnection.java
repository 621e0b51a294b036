package io.jcilium.relay.pool;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.jcilium.api.hubble.observer.ObserverGrpc;

/**
 * The relay's one channel to one agent, and whether the agent answers. A circuit breaker
 * (Resilience4j) holds the answer: one failed call opens it, so requests skip the agent
 * at once (reported unavailable) instead of each waiting for a deadline; while open no
 * probe goes out, and the wait before the next trial grows exponentially with jitter up
 * to the max (the reconnect backoff); a trial that answers closes it.
 */
public final class PeerConnection {

	private final Peer peer;

	private final ManagedChannel channel;

	private final String verifiedServerName;

	private final CircuitBreaker breaker;

	private volatile boolean answered;

	private volatile boolean tried;

	PeerConnection(Peer peer, ManagedChannel channel, String verifiedServerName, Duration backoffInitial,
			Duration backoffMax) {
		this.peer = peer;
		this.channel = channel;
		this.verifiedServerName = verifiedServerName;
		this.breaker = CircuitBreaker.of("hubble-peer-" + peer.name(),
				CircuitBreakerConfig.custom()
					.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
					.slidingWindowSize(1)
					.minimumNumberOfCalls(1)
					.failureRateThreshold(100)
					.permittedNumberOfCallsInHalfOpenState(1)
					.waitIntervalFunctionInOpenState(
							IntervalFunction.ofExponentialRandomBackoff(backoffInitial, 2.0, 0.2, backoffMax))
					.recordExceptions(Throwable.class)
					.build());
	}

	public Peer peer() {
		return this.peer;
	}

	public String name() {
		return this.peer.name();
	}

	/**
	 * Whether the channel to the agent speaks TLS.
	 * @return true over mTLS
	 */
	public boolean tls() {
		return !this.verifiedServerName.isEmpty();
	}

	/**
	 * The name the agent's certificate is checked against.
	 * @return the name, empty over plaintext
	 */
	public String verifiedServerName() {
		return this.verifiedServerName;
	}

	/** Whether the agent answered its last call. */
	public boolean available() {
		return this.answered && this.breaker.getState() == CircuitBreaker.State.CLOSED;
	}

	/**
	 * Whether nothing is known of the agent yet: announced, but neither probed nor
	 * called. A client's request asks it rather than report it unavailable (which would
	 * tell the client a node is away that the relay has only not asked yet); the call's
	 * outcome then counts as a probe's.
	 */
	public boolean untried() {
		return !this.tried;
	}

	/** Whether a client's request may call the agent now: available, or not tried yet. */
	public boolean callable() {
		return available() || untried();
	}

	/** A blocking stub of the agent's Observer on the shared channel. */
	public ObserverGrpc.ObserverBlockingStub observer() {
		return ObserverGrpc.newBlockingStub(this.channel);
	}

	/** A future stub of the agent's Observer on the shared channel. */
	public ObserverGrpc.ObserverFutureStub observerFuture() {
		return ObserverGrpc.newFutureStub(this.channel);
	}

	/** A call on the shared channel, for a method with a marshalling of its own. */
	public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method) {
		return this.channel.newCall(method, CallOptions.DEFAULT);
	}

	/** The channel's own view, for metrics: READY, CONNECTING, TRANSIENT_FAILURE... */
	ConnectivityState channelState() {
		return this.channel.getState(false);
	}

	/**
	 * Whether a probe may go out now: always while closed; once the backoff has passed
	 * while open (the trial), after which the channel's own reconnect backoff is reset so
	 * that the trial really dials.
	 */
	boolean probeDue() {
		CircuitBreaker.State before = this.breaker.getState();
		if (!this.breaker.tryAcquirePermission()) {
			return false;
		}
		if (before != CircuitBreaker.State.CLOSED) {
			this.channel.resetConnectBackoff();
		}
		return true;
	}

	/**
	 * Records that the agent answered.
	 * @return whether it was not available before
	 */
	boolean succeeded() {
		boolean wasAvailable = available();
		this.breaker.onSuccess(0, TimeUnit.NANOSECONDS);
		this.answered = true;
		this.tried = true;
		return !wasAvailable && available();
	}

	/**
	 * Records that a call failed; the agent counts as unavailable until a trial answers.
	 * @param failure what failed
	 */
	public void failed(Throwable failure) {
		this.answered = false;
		this.tried = true;
		this.breaker.onError(0, TimeUnit.NANOSECONDS, failure);
	}

	CircuitBreaker.State breakerState() {
		return this.breaker.getState();
	}

	void close() {
		this.channel.shutdownNow();
	}

}
