package io.jcilium.agent.endpoint;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.jcilium.common.label.Labels;

/**
 * Pod metadata kept in a map, as the informer caches would hold it: a pod is unknown
 * until {@link #put} and can change its labels at any time.
 */
public final class InMemoryPodMetadata implements PodMetadataSource {

	private final Map<String, PodMetadata> pods = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

	@Override
	public Optional<PodMetadata> find(String namespace, String name) {
		this.reads.computeIfAbsent(namespace + "/" + name, (key) -> new AtomicInteger()).incrementAndGet();
		return Optional.ofNullable(this.pods.get(namespace + "/" + name));
	}

	/** Makes the pod known with these security labels (label syntax). */
	public void put(String namespace, String name, String... labels) {
		this.pods.put(namespace + "/" + name,
				new PodMetadata(namespace, name, Labels.parse(List.of(labels)), List.of()));
	}

	/** How often the lifecycle looked this pod up: proof that it saw a change event. */
	public int reads(String namespace, String name) {
		AtomicInteger count = this.reads.get(namespace + "/" + name);
		return (count != null) ? count.get() : 0;
	}

}
