package io.jcilium.agent.k8s;

import java.util.List;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.Store;

/**
 * This node's pods out of the pod informer. The informer asks the API server for them
 * alone ({@code spec.nodeName} field selector, as upstream's agent does), but the cell
 * checks the node name itself as well: an API server that ignores the selector (fabric8's
 * mock server does, and so then must the selector be switched off) would otherwise make
 * every pod of the cluster look local.
 */
public final class LocalPods {

	private final String nodeName;

	private final Store<Pod> store;

	LocalPods(String nodeName, Store<Pod> store) {
		this.nodeName = nodeName;
		this.store = store;
	}

	/**
	 * A local pod.
	 * @param namespace its namespace
	 * @param name its name
	 * @return the pod, or {@code null} if unknown or on another node
	 */
	public Pod get(String namespace, String name) {
		Pod pod = this.store.getByKey(Cache.namespaceKeyFunc(namespace, name));
		return isLocal(pod) ? pod : null;
	}

	/**
	 * The local pods of a namespace.
	 * @param namespace the namespace
	 * @return its pods on this node
	 */
	public List<Pod> inNamespace(String namespace) {
		return this.store.list()
			.stream()
			.filter((pod) -> namespace.equals(pod.getMetadata().getNamespace()) && isLocal(pod))
			.toList();
	}

	public boolean isLocal(Pod pod) {
		return pod != null && pod.getSpec() != null && this.nodeName.equals(pod.getSpec().getNodeName());
	}

	/**
	 * A handler that sees only local pods: a pod scheduled here arrives as an add, one
	 * that leaves (never, in practice) as a delete.
	 * @param handler the handler to protect
	 * @return the filtering handler
	 */
	public ResourceEventHandler<Pod> only(ResourceEventHandler<Pod> handler) {
		return new ResourceEventHandler<>() {

			@Override
			public void onAdd(Pod pod) {
				if (isLocal(pod)) {
					handler.onAdd(pod);
				}
			}

			@Override
			public void onUpdate(Pod before, Pod after) {
				boolean wasLocal = isLocal(before);
				boolean local = isLocal(after);
				if (wasLocal && local) {
					handler.onUpdate(before, after);
				}
				else if (local) {
					handler.onAdd(after);
				}
				else if (wasLocal) {
					handler.onDelete(before, false);
				}
			}

			@Override
			public void onDelete(Pod pod, boolean finalStateUnknown) {
				if (isLocal(pod)) {
					handler.onDelete(pod, finalStateUnknown);
				}
			}

		};
	}

}
