package io.jcilium.agent.k8s;

import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.jcilium.agent.ipam.PodPoolSelector;
import io.jcilium.agent.ipam.PodPoolSource;

/**
 * Multi-pool: a new pod's pool from the informer caches' pod and namespace annotations. A
 * pod the cache does not hold yet (its watch event may trail the runtime's CNI ADD), or
 * whose namespace it does not hold yet (another watch, which may trail the pod's), is
 * waited for a bounded time; still unknown, the ADD fails with the reason, as upstream's
 * agent refuses to guess a pool, and the runtime retries.
 */
final class InformerPodPools implements PodPoolSource {

	private final BiFunction<String, String, Pod> pods;

	private final Function<String, Namespace> namespaces;

	private final Duration wait;

	/**
	 * @param pods finds a pod by namespace and name, {@code null} if unknown
	 * @param namespaces finds a namespace by name, {@code null} if unknown
	 * @param wait how long to wait for a pod the cache does not hold yet
	 */
	InformerPodPools(BiFunction<String, String, Pod> pods, Function<String, Namespace> namespaces, Duration wait) {
		this.pods = pods;
		this.namespaces = namespaces;
		this.wait = wait;
	}

	@Override
	public String poolOf(String namespace, String name) {
		if (namespace == null || name == null) {
			// A runtime outside Kubernetes (podman) names no pod: nothing to annotate it.
			return PodPoolSelector.DEFAULT_POOL;
		}
		long deadline = System.nanoTime() + this.wait.toNanos();
		Pod pod = await(() -> this.pods.apply(namespace, name), deadline);
		if (pod == null) {
			throw new IllegalStateException("pod " + namespace + "/" + name + " is not known to this agent after "
					+ this.wait + ": its " + PodPoolSelector.IP_POOL_ANNOTATION
					+ " annotation decides its IP pool, so no address is given before it is seen");
		}
		// The namespace comes through its own watch, which may trail the pod's: its
		// annotation decides as much as the pod's, so it is waited for the same way.
		Namespace ns = await(() -> this.namespaces.apply(namespace), deadline);
		if (ns == null) {
			throw new IllegalStateException("namespace " + namespace + " of pod " + namespace + "/" + name
					+ " is not known to this agent after " + this.wait + ": its " + PodPoolSelector.IP_POOL_ANNOTATION
					+ " annotation decides the pod's IP pool, so no address is given before it is seen");
		}
		return PodPoolSelector.ipv4Pool(pod.getMetadata().getAnnotations(), ns.getMetadata().getAnnotations());
	}

	private static <T> T await(Supplier<T> lookup, long deadline) {
		T found = lookup.get();
		while (found == null && System.nanoTime() < deadline) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
			found = lookup.get();
		}
		return found;
	}

}
