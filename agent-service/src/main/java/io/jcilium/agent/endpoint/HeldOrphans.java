package io.jcilium.agent.endpoint;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import io.jcilium.agent.ipam.PodIpOwner;

/**
 * The orphans the endpoint cell holds now, and how many it freed since start.
 */
final class HeldOrphans {

	private final Map<PodIpOwner, HeldOrphan> held = new ConcurrentHashMap<>();

	private final AtomicLong freed = new AtomicLong();

	void hold(HeldOrphan orphan) {
		this.held.put(new PodIpOwner(orphan.containerId(), orphan.ifName()), orphan);
	}

	/** CNI DEL freed it, or an endpoint took it over. */
	void forget(PodIpOwner owner) {
		this.held.remove(owner);
	}

	void freed(PodIpOwner owner) {
		if (this.held.remove(owner) != null) {
			this.freed.incrementAndGet();
		}
	}

	/** Replaces the orphan of {@code owner} if still held. */
	void update(PodIpOwner owner, UnaryOperator<HeldOrphan> change) {
		this.held.computeIfPresent(owner, (key, orphan) -> change.apply(orphan));
	}

	boolean isEmpty() {
		return this.held.isEmpty();
	}

	/** Every orphan held, by address. */
	List<HeldOrphan> all() {
		return this.held.values().stream().sorted(Comparator.comparing(HeldOrphan::ip)).toList();
	}

	long freedCount() {
		return this.freed.get();
	}

}
