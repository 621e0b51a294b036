package io.jcilium.identity.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.jcilium.identity.allocation.Futures;
import io.jcilium.identity.allocation.IdRange;
import io.jcilium.identity.allocation.IdentityStore;
import io.jcilium.identity.allocation.IdentityStoreUnavailableException;

import org.springframework.dao.DataAccessException;

/**
 * Puts every store call behind a retry with backoff (for blips) inside a circuit breaker
 * (so that while Redis is down calls fail at once instead of each waiting for a timeout),
 * and turns Redis failures into {@link IdentityStoreUnavailableException} with a message
 * a client can act on. Timeouts are Lettuce's command timeout. Every store operation is
 * idempotent (allocate-or-get, set removals), so retrying is safe.
 */
final class GuardedIdentityStore implements IdentityStore {

	private final IdentityStore delegate;

	private final CircuitBreaker circuitBreaker;

	private final Retry retry;

	private final LongAdder redisErrors = new LongAdder();

	private final ScheduledExecutorService retryScheduler;

	GuardedIdentityStore(IdentityStore delegate, CircuitBreaker circuitBreaker, Retry retry,
			ScheduledExecutorService retryScheduler) {
		this.delegate = delegate;
		this.circuitBreaker = circuitBreaker;
		this.retry = retry;
		this.retryScheduler = retryScheduler;
	}

	long redisErrors() {
		return this.redisErrors.sum();
	}

	@Override
	public StoredAllocation allocate(String labelsKey, String node, IdRange range, Duration leaseTtl) {
		return guarded("allocate", () -> this.delegate.allocate(labelsKey, node, range, leaseTtl));
	}

	@Override
	public CompletionStage<StoredAllocation> allocateAsync(String labelsKey, String node, IdRange range,
			Duration leaseTtl) {
		Supplier<CompletionStage<StoredAllocation>> counted = () -> this.delegate
			.allocateAsync(labelsKey, node, range, leaseTtl)
			.whenComplete((allocation, error) -> {
				if (error != null && Futures.unwrap(error) instanceof DataAccessException) {
					this.redisErrors.increment();
				}
			});
		CompletionStage<StoredAllocation> guarded;
		try {
			guarded = this.circuitBreaker
				.executeCompletionStage(() -> this.retry.executeCompletionStage(this.retryScheduler, counted));
		}
		catch (RuntimeException ex) {
			guarded = CompletableFuture.failedFuture(ex);
		}
		return guarded.handle((allocation, error) -> {
			if (error != null) {
				throw unavailable("allocate", Futures.unwrap(error));
			}
			return allocation;
		});
	}

	@Override
	public ReleaseOutcome release(int id, String node) {
		return guarded("release", () -> this.delegate.release(id, node));
	}

	@Override
	public boolean renewLease(String node, Duration leaseTtl) {
		return guarded("heartbeat", () -> this.delegate.renewLease(node, leaseTtl));
	}

	@Override
	public List<StoredAllocation> register(List<StoredIdentity> held, String node, IdRange range, Duration leaseTtl) {
		return guarded("register", () -> this.delegate.register(held, node, range, leaseTtl));
	}

	@Override
	public Optional<String> epoch() {
		return guarded("epoch", this.delegate::epoch);
	}

	@Override
	public String seed(String candidateEpoch, List<StoredIdentity> known) {
		return guarded("seed", () -> this.delegate.seed(candidateEpoch, known));
	}

	@Override
	public Optional<StoredIdentity> find(int id) {
		return guarded("lookup", () -> this.delegate.find(id));
	}

	@Override
	public Optional<StoredIdentity> findByLabels(String labelsKey) {
		return guarded("lookup by labels", () -> this.delegate.findByLabels(labelsKey));
	}

	@Override
	public StoreSnapshot snapshot() {
		return guarded("snapshot", this.delegate::snapshot);
	}

	@Override
	public long revision() {
		return guarded("revision", this.delegate::revision);
	}

	@Override
	public int expireLeases() {
		return guarded("lease expiry", this.delegate::expireLeases);
	}

	@Override
	public Map<Integer, Long> unreferencedIds() {
		return guarded("GC scan", this.delegate::unreferencedIds);
	}

	@Override
	public List<IdentityChange> freeIfUnreferenced(Map<Integer, Long> stampedIds) {
		return guarded("GC free", () -> this.delegate.freeIfUnreferenced(stampedIds));
	}

	@Override
	public boolean tryAcquireGcTurn(String owner, Duration turn) {
		return guarded("GC turn", () -> this.delegate.tryAcquireGcTurn(owner, turn));
	}

	@Override
	public void addChangeListener(Consumer<IdentityChange> listener) {
		this.delegate.addChangeListener(listener);
	}

	private <T> T guarded(String operation, Supplier<T> call) {
		Supplier<T> counted = () -> {
			try {
				return call.get();
			}
			catch (DataAccessException ex) {
				this.redisErrors.increment();
				throw ex;
			}
		};
		try {
			return this.circuitBreaker.executeSupplier(Retry.decorateSupplier(this.retry, counted));
		}
		catch (CallNotPermittedException | DataAccessException ex) {
			throw unavailable(operation, ex);
		}
	}

	/**
	 * Turns Redis failures into what clients are told; other exceptions pass as they are.
	 */
	private static RuntimeException unavailable(String operation, RuntimeException ex) {
		if (ex instanceof CallNotPermittedException) {
			return new IdentityStoreUnavailableException("Redis is unavailable: " + operation
					+ " refused at once because recent Redis calls failed (circuit breaker open); "
					+ "it resumes by itself when Redis answers again, retry later", ex);
		}
		if (ex instanceof DataAccessException dataAccess) {
			return new IdentityStoreUnavailableException(
					"Redis is unavailable: " + operation + " failed (" + dataAccess.getMostSpecificCause().getMessage()
							+ "); it resumes by itself when Redis answers again, retry later",
					ex);
		}
		return ex;
	}

}
