package io.jcilium.operator.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory stand-in for ipam-service: one /24 per node from 10.0.0.0/16, the same one
 * each time a node asks, reused after release.
 */
final class InMemoryNodeCidrAllocator implements NodeCidrAllocator {

	private final Map<String, String> byNode = new LinkedHashMap<>();

	final List<String> released = new ArrayList<>();

	@Override
	public synchronized List<String> allocate(String node) {
		return List.of(this.byNode.computeIfAbsent(node, (n) -> {
			for (int i = 0; i < 256; i++) {
				String cidr = "10.0." + i + ".0/24";
				if (!this.byNode.containsValue(cidr)) {
					return cidr;
				}
			}
			throw new IllegalStateException("pool 10.0.0.0/16 is exhausted");
		}));
	}

	@Override
	public synchronized void release(String node) {
		if (this.byNode.remove(node) != null) {
			this.released.add(node);
		}
	}

	@Override
	public synchronized Set<String> allocatedNodes() {
		return Set.copyOf(this.byNode.keySet());
	}

	synchronized Map<String, String> allocations() {
		return new LinkedHashMap<>(this.byNode);
	}

}
