package io.jcilium.agent.endpoint;

/**
 * Told when a pod's metadata may have changed (its labels, its namespace's labels), so
 * the pod's endpoint can move to a new identity.
 */
public interface PodMetadataListener {

	/**
	 * The metadata of this pod changed or appeared; read it again from the
	 * {@link PodMetadataSource}.
	 * @param namespace the pod's namespace
	 * @param name the pod's name
	 */
	void podMetadataChanged(String namespace, String name);

}
