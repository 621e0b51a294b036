package io.jcilium.agent.k8s;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jcilium.agent.endpoint.PodMetadataListener;

/**
 * Tells the {@link PodMetadataListener}s when a pod's identity-relevant metadata may have
 * changed: the pod appeared or its labels, service account or named ports changed, or its
 * namespace appeared or changed labels (then every local pod of the namespace is
 * announced). Resyncs announce again, so a listener that failed once gets another chance.
 */
final class PodMetadataNotifier {

	private static final Logger log = LoggerFactory.getLogger(PodMetadataNotifier.class);

	private final Supplier<List<PodMetadataListener>> listeners;

	private final Function<String, List<Pod>> podsInNamespace;

	/**
	 * @param listeners the listeners, looked up at each event (beans may appear late)
	 * @param podsInNamespace this node's known pods of a namespace
	 */
	PodMetadataNotifier(Supplier<List<PodMetadataListener>> listeners, Function<String, List<Pod>> podsInNamespace) {
		this.listeners = listeners;
		this.podsInNamespace = podsInNamespace;
	}

	ResourceEventHandler<Pod> pods() {
		return new ResourceEventHandler<>() {

			@Override
			public void onAdd(Pod pod) {
				announce(pod);
			}

			@Override
			public void onUpdate(Pod before, Pod after) {
				if (before == after || PodMetadataMapper.metadataChanged(before, after)) {
					announce(after);
				}
			}

			@Override
			public void onDelete(Pod pod, boolean finalStateUnknown) {
				// The endpoint goes with CNI DEL, not with the pod object.
			}

		};
	}

	ResourceEventHandler<Namespace> namespaces() {
		return new ResourceEventHandler<>() {

			@Override
			public void onAdd(Namespace namespace) {
				announceNamespace(namespace);
			}

			@Override
			public void onUpdate(Namespace before, Namespace after) {
				if (before == after || !Objects.equals(labels(before), labels(after))) {
					announceNamespace(after);
				}
			}

			@Override
			public void onDelete(Namespace namespace, boolean finalStateUnknown) {
				// Its pods are deleted with it; their endpoints go with CNI DEL.
			}

		};
	}

	private void announceNamespace(Namespace namespace) {
		for (Pod pod : this.podsInNamespace.apply(namespace.getMetadata().getName())) {
			announce(pod);
		}
	}

	private void announce(Pod pod) {
		String namespace = pod.getMetadata().getNamespace();
		String name = pod.getMetadata().getName();
		for (PodMetadataListener listener : this.listeners.get()) {
			try {
				listener.podMetadataChanged(namespace, name);
			}
			catch (RuntimeException ex) {
				// One failing listener must not keep the others from hearing about it.
				log.warn("Pod metadata listener {} failed for pod {}/{}", listener, namespace, name, ex);
			}
		}
	}

	private static Map<String, String> labels(Namespace namespace) {
		Map<String, String> labels = namespace.getMetadata().getLabels();
		return (labels != null) ? labels : Map.of();
	}

}
