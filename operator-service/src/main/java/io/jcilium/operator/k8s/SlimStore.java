package io.jcilium.operator.k8s;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

/**
 * An informer's cache that keeps each object cut down to what its controllers read, as
 * upstream's operator caches slim objects (its pod store keeps name, namespace, node and
 * phase): the rest of an object (a pod's spec, a node's images) is garbage as soon as the
 * event that brought it is handled, instead of living in the cache for as long as the
 * object exists. Event handlers still see the objects as they came; only the cache, which
 * the reconcile passes read, holds the cut form.
 * <p>
 * The cut form must keep {@code metadata.resourceVersion}: the informer compares it to
 * tell an update from a repeated object.
 *
 * @param <T> the cached kind
 */
public final class SlimStore<T extends HasMetadata> implements ItemStore<T> {

	private final ConcurrentMap<String, T> items = new ConcurrentHashMap<>();

	private final UnaryOperator<T> cut;

	/**
	 * Create the store.
	 * @param cut makes the form to keep; a new object (the one given is the event's)
	 */
	public SlimStore(UnaryOperator<T> cut) {
		this.cut = cut;
	}

	@Override
	public String getKey(T obj) {
		return Cache.metaNamespaceKeyFunc(obj);
	}

	@Override
	public T put(String key, T obj) {
		return this.items.put(key, this.cut.apply(obj));
	}

	@Override
	public T remove(String key) {
		return this.items.remove(key);
	}

	@Override
	public Stream<String> keySet() {
		return this.items.keySet().stream();
	}

	@Override
	public Stream<T> values() {
		return this.items.values().stream();
	}

	@Override
	public int size() {
		return this.items.size();
	}

	@Override
	public T get(String key) {
		return this.items.get(key);
	}

}
