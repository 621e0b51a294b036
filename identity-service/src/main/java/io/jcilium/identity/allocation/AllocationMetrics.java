package io.jcilium.identity.allocation;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Identity metrics: identities in use, allocations (new or existing), releases, GC frees,
 * expired references and allocation latency.
 */
final class AllocationMetrics implements MeterBinder {

	private final IntSupplier identitiesInUse;

	private final LongAdder created = new LongAdder();

	private final LongAdder existing = new LongAdder();

	private final LongAdder releases = new LongAdder();

	private final LongAdder gcFreed = new LongAdder();

	private final LongAdder referencesExpired = new LongAdder();

	private volatile Timer latency;

	AllocationMetrics(IntSupplier identitiesInUse) {
		this.identitiesInUse = identitiesInUse;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("jcilium.identity.in.use", this.identitiesInUse::getAsInt)
			.description("Allocated identities (reserved ones excluded) in this replica's view")
			.register(registry);
		counter("jcilium.identity.allocations", this.created, "Allocations").tag("result", "created")
			.register(registry);
		counter("jcilium.identity.allocations", this.existing, "Allocations").tag("result", "existing")
			.register(registry);
		counter("jcilium.identity.releases", this.releases, "References released by nodes").register(registry);
		counter("jcilium.identity.gc.freed", this.gcFreed, "Identities freed by the garbage collector")
			.register(registry);
		counter("jcilium.identity.lease.references.expired", this.referencesExpired,
				"References dropped because the node's lease expired")
			.register(registry);
		this.latency = Timer.builder("jcilium.identity.allocation.latency")
			.description("Time to allocate an identity in the store")
			.publishPercentiles(0.5, 0.99)
			.register(registry);
	}

	void allocated(boolean wasCreated, long nanos) {
		(wasCreated ? this.created : this.existing).increment();
		Timer timer = this.latency;
		if (timer != null) {
			timer.record(nanos, TimeUnit.NANOSECONDS);
		}
	}

	void released() {
		this.releases.increment();
	}

	void collected(int expiredReferences, int freed) {
		this.referencesExpired.add(expiredReferences);
		this.gcFreed.add(freed);
	}

	long allocations() {
		return this.created.sum() + this.existing.sum();
	}

	private static FunctionCounter.Builder<LongAdder> counter(String name, LongAdder adder, String description) {
		return FunctionCounter.builder(name, adder, LongAdder::sum).description(description);
	}

}
