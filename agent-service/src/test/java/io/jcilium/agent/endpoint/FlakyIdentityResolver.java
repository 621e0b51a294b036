package io.jcilium.agent.endpoint;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.jcilium.common.label.Labels;

/**
 * Gives each distinct label set its own identity (from 1000 up, like an allocator), but
 * fails while the service is "down": the first {@code failures} calls, and any call while
 * {@link #down} is set. Records releases.
 */
public final class FlakyIdentityResolver implements IdentityResolver {

	private final Map<Labels, Long> identities = new ConcurrentHashMap<>();

	private final AtomicLong next = new AtomicLong(1000);

	private final AtomicInteger failuresLeft;

	private final AtomicInteger calls = new AtomicInteger();

	private final Map<String, AtomicInteger> callsByPod = new ConcurrentHashMap<>();

	public final List<Long> released = new CopyOnWriteArrayList<>();

	public volatile boolean down;

	public FlakyIdentityResolver(int failures) {
		this.failuresLeft = new AtomicInteger(failures);
	}

	@Override
	public long resolve(Endpoint endpoint) {
		this.calls.incrementAndGet();
		this.callsByPod.computeIfAbsent(String.valueOf(endpoint.podName()), (key) -> new AtomicInteger())
			.incrementAndGet();
		if (this.down || this.failuresLeft.getAndDecrement() > 0) {
			throw new IllegalStateException("identity-service unavailable: connection refused");
		}
		return identityOf(endpoint.securityLabels());
	}

	@Override
	public void release(long identity) {
		this.released.add(identity);
	}

	public long identityOf(Labels labels) {
		return this.identities.computeIfAbsent(labels, (key) -> this.next.getAndIncrement());
	}

	public int calls() {
		return this.calls.get();
	}

	/** Calls made for the endpoints of one pod. */
	public int callsFor(String podName) {
		AtomicInteger count = this.callsByPod.get(podName);
		return (count != null) ? count.get() : 0;
	}

}
