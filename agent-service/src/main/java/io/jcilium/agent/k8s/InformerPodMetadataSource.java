package io.jcilium.agent.k8s;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.jcilium.common.label.LabelFilter;

import io.jcilium.agent.endpoint.PodMetadata;
import io.jcilium.agent.endpoint.PodMetadataSource;

/**
 * Pod metadata read from the informer caches of this node's pods and of the namespaces;
 * answers from memory, never from the API server.
 */
final class InformerPodMetadataSource implements PodMetadataSource {

	private final BiFunction<String, String, Pod> pods;

	private final Function<String, Namespace> namespaces;

	private final String clusterName;

	private final LabelFilter identityLabels;

	/**
	 * @param pods finds a pod by namespace and name, {@code null} if unknown
	 * @param namespaces finds a namespace by name, {@code null} if unknown
	 * @param clusterName the cluster's name
	 * @param identityLabels which labels are part of an identity
	 */
	InformerPodMetadataSource(BiFunction<String, String, Pod> pods, Function<String, Namespace> namespaces,
			String clusterName, LabelFilter identityLabels) {
		this.pods = pods;
		this.namespaces = namespaces;
		this.clusterName = clusterName;
		this.identityLabels = identityLabels;
	}

	@Override
	public Optional<PodMetadata> find(String namespace, String name) {
		if (namespace == null || name == null) {
			return Optional.empty();
		}
		Pod pod = this.pods.apply(namespace, name);
		if (pod == null) {
			return Optional.empty();
		}
		return Optional
			.of(PodMetadataMapper.map(pod, this.namespaces.apply(namespace), this.clusterName, this.identityLabels));
	}

}
