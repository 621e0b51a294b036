package io.jcilium.agent.k8s;

import java.util.function.Consumer;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

/**
 * Informer handlers for level-triggered state: an added or updated object is applied as
 * it is now (no diff against the old version), a deleted one is removed.
 */
public final class LevelTriggered {

	private LevelTriggered() {
	}

	/**
	 * @param <T> the resource type
	 * @param apply applies the object's current state
	 * @param remove removes what the object contributed
	 * @return the handler
	 */
	public static <T> ResourceEventHandler<T> handler(Consumer<T> apply, Consumer<T> remove) {
		return new ResourceEventHandler<>() {

			@Override
			public void onAdd(T object) {
				apply.accept(object);
			}

			@Override
			public void onUpdate(T before, T after) {
				apply.accept(after);
			}

			@Override
			public void onDelete(T object, boolean finalStateUnknown) {
				remove.accept(object);
			}

		};
	}

}
