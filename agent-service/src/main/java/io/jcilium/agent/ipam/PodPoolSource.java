package io.jcilium.agent.ipam;

/**
 * The multi-pool pool a new pod's address comes from ({@link PodPoolSelector} on the
 * pod's and its namespace's annotations).
 */
@FunctionalInterface
public interface PodPoolSource {

	/** Every pod from the one pool: cluster-pool mode, or no Kubernetes. */
	PodPoolSource DEFAULT = (namespace, name) -> PodPoolSelector.DEFAULT_POOL;

	/**
	 * @param namespace the pod's namespace, {@code null} when the runtime gave none
	 * @param name the pod's name, {@code null} when the runtime gave none
	 * @return the pool's name
	 * @throws IllegalStateException when the pod is not known (yet): its annotations
	 * decide, so no pool is guessed
	 */
	String poolOf(String namespace, String name);

}
