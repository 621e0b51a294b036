package io.jcilium.operator.identitygc;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Identity GC metrics: passes by outcome, identities released, identities currently
 * unused (the next pass's candidates).
 */
final class IdentityGcMetrics implements MeterBinder {

	private final AtomicLong succeeded = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong released = new AtomicLong();

	private final AtomicLong unused = new AtomicLong();

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("jcilium.operator.identity.gc.passes", this.succeeded, AtomicLong::get)
			.tag("outcome", "success")
			.description("Identity GC passes")
			.register(registry);
		FunctionCounter.builder("jcilium.operator.identity.gc.passes", this.failed, AtomicLong::get)
			.tag("outcome", "failure")
			.description("Identity GC passes")
			.register(registry);
		FunctionCounter.builder("jcilium.operator.identity.gc.released", this.released, AtomicLong::get)
			.description("Identities released in identity-service because no CiliumEndpoint used them")
			.register(registry);
		Gauge.builder("jcilium.operator.identity.gc.unused", this.unused, AtomicLong::get)
			.description("Allocated identities no CiliumEndpoint used in the last pass")
			.register(registry);
	}

	void passed(int releasedCount, int unusedCount) {
		this.succeeded.incrementAndGet();
		this.released.addAndGet(releasedCount);
		this.unused.set(unusedCount);
	}

	void failedPass() {
		this.failed.incrementAndGet();
	}

	long failedPasses() {
		return this.failed.get();
	}

	long releasedTotal() {
		return this.released.get();
	}

}
