package io.jcilium.agent.endpoint;

import java.util.Optional;

/**
 * Where the agent learns a pod's security-relevant labels: in a cluster, the informer
 * caches of pods, namespaces and service accounts.
 */
public interface PodMetadataSource {

	/**
	 * The pod's metadata as currently known.
	 * @param namespace the pod's namespace
	 * @param name the pod's name
	 * @return the metadata, or empty while the pod is not (yet) known to the agent
	 */
	Optional<PodMetadata> find(String namespace, String name);

}
