package io.jcilium.identity.client;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each call to identity-service with a deadline per attempt and per call, retries
 * transient failures with exponential backoff, and keeps a circuit breaker so that while
 * the service (or its Redis) is down calls fail at once instead of each waiting. Failures
 * come out as {@link IdentityClientException}s whose message says what is down and since
 * when.
 */
final class GuardedCalls {

	private static final Logger logger = LoggerFactory.getLogger(GuardedCalls.class);

	private final String target;

	private final IdentityClientSettings settings;

	private final CircuitBreaker circuitBreaker;

	private final Retry retry;

	private final Outage outage;

	private final Map<String, LongAdder> successes = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

	GuardedCalls(IdentityClientSettings settings, Clock clock, Runnable beforeTrialCalls) {
		this.target = settings.grpcTarget();
		this.settings = settings;
		this.outage = new Outage(clock);
		IdentityClientSettings.BreakerSettings breaker = settings.circuitBreaker();
		this.circuitBreaker = CircuitBreaker.of("identity-service",
				CircuitBreakerConfig.custom()
					.failureRateThreshold(breaker.failureRateThreshold())
					.slidingWindowSize(breaker.slidingWindowSize())
					.minimumNumberOfCalls(breaker.minimumCalls())
					.waitDurationInOpenState(breaker.waitInOpen())
					.permittedNumberOfCallsInHalfOpenState(1)
					.recordException(CallClassification::isServiceFailure)
					.build());
		IdentityClientSettings.RetrySettings retry = settings.retry();
		this.retry = Retry.of("identity-service", RetryConfig.custom()
			.maxAttempts(retry.maxAttempts())
			.intervalFunction(IntervalFunction.ofExponentialBackoff(retry.initialBackoff(), 2.0, retry.maxBackoff()))
			.retryOnException(CallClassification::isRetryable)
			.build());
		this.circuitBreaker.getEventPublisher().onStateTransition((event) -> {
			switch (event.getStateTransition().getToState()) {
				case OPEN ->
					logger.warn("identity-service at {} unavailable {}: circuit breaker open, calls fail at once",
							this.target, this.outage.describe().orElse(""));
				case HALF_OPEN -> beforeTrialCalls.run();
				case CLOSED -> logger.info("identity-service at {} answers again: circuit breaker closed", this.target);
				default -> {
				}
			}
		});
	}

	/**
	 * Runs one call.
	 * @param operation the operation's name, for messages and metrics
	 * @param attempt one attempt, given its deadline
	 * @return the attempt's result
	 * @throws IdentityUnavailableException when the service or its Redis is down
	 * @throws InvalidIdentityRequestException when the service refused the request
	 * @throws IdentityClientException for any other failure the service reported
	 */
	<T> T call(String operation, Function<Deadline, T> attempt) {
		Deadline callDeadline = Deadline.after(this.settings.callTimeout().toNanos(), TimeUnit.NANOSECONDS);
		Supplier<T> guarded = CircuitBreaker.decorateSupplier(this.circuitBreaker, () -> {
			Deadline attemptDeadline = Deadline.after(this.settings.attemptTimeout().toNanos(), TimeUnit.NANOSECONDS)
				.minimum(callDeadline);
			try {
				T result = attempt.apply(attemptDeadline);
				answered();
				return result;
			}
			catch (StatusRuntimeException ex) {
				if (CallClassification.isServiceFailure(ex)) {
					if (this.outage.failed(CallClassification.describe(ex))) {
						logger.warn("identity-service at {} fails: {}", this.target, CallClassification.describe(ex));
					}
				}
				else {
					answered();
				}
				throw ex;
			}
		});
		Supplier<T> budgeted = () -> {
			if (callDeadline.isExpired()) {
				throw new CallTimeSpent();
			}
			return guarded.get();
		};
		try {
			T result = Retry.decorateSupplier(this.retry, budgeted).get();
			count(this.successes, operation);
			return result;
		}
		catch (CallNotPermittedException ex) {
			count(this.failures, operation);
			throw unavailable(operation, "circuit breaker open: calls fail at once, a trial call goes out every "
					+ this.settings.circuitBreaker().waitInOpen().toMillis() + " ms", ex);
		}
		catch (CallTimeSpent ex) {
			count(this.failures, operation);
			throw unavailable(operation,
					"no answer within the call timeout of " + this.settings.callTimeout().toMillis() + " ms", ex);
		}
		catch (StatusRuntimeException ex) {
			count(this.failures, operation);
			throw translate(operation, ex);
		}
	}

	CircuitBreaker.State circuitBreakerState() {
		return this.circuitBreaker.getState();
	}

	/** What is down and since when, or empty while the service answers. */
	Optional<String> outage() {
		return this.outage.describe();
	}

	long successes(String operation) {
		LongAdder adder = this.successes.get(operation);
		return (adder != null) ? adder.sum() : 0;
	}

	long failures(String operation) {
		LongAdder adder = this.failures.get(operation);
		return (adder != null) ? adder.sum() : 0;
	}

	private void answered() {
		if (this.outage.answered()) {
			logger.info("identity-service at {} answers again", this.target);
		}
	}

	private RuntimeException translate(String operation, StatusRuntimeException ex) {
		Status.Code code = ex.getStatus().getCode();
		if (code == Status.Code.INVALID_ARGUMENT) {
			return new InvalidIdentityRequestException(
					operation + " refused by identity-service: " + ex.getStatus().getDescription(), ex);
		}
		if (CallClassification.isServiceFailure(ex)) {
			return unavailable(operation, null, ex);
		}
		return new IdentityClientException(
				operation + " failed at identity-service " + this.target + ": " + CallClassification.describe(ex), ex);
	}

	private IdentityUnavailableException unavailable(String operation, String detail, RuntimeException cause) {
		// No outage on record: the breaker opened on failures, then a call that was
		// already under way answered.
		String down = this.outage.describe()
			.orElseGet(() -> (cause instanceof StatusRuntimeException status)
					? "(" + CallClassification.describe(status) + ")" : "after recent failures");
		return new IdentityUnavailableException("identity-service at " + this.target + " is unavailable " + down + "; "
				+ operation + " failed" + ((detail != null) ? ", " + detail : ""), cause);
	}

	private static void count(Map<String, LongAdder> counters, String operation) {
		counters.computeIfAbsent(operation, (name) -> new LongAdder()).increment();
	}

	/** The call's deadline passed before another attempt could go out. */
	private static final class CallTimeSpent extends RuntimeException {

		private static final long serialVersionUID = 1L;

		CallTimeSpent() {
			super("call timeout spent", null, false, false);
		}

	}

}
