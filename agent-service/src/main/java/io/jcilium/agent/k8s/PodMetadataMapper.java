package io.jcilium.agent.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.jcilium.common.label.LabelFilter;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.engine.NamedPort;
import io.jcilium.common.policy.model.PodLabels;

import io.jcilium.agent.endpoint.PodMetadata;

/**
 * Turns a pod and its namespace, as the API server has them, into the metadata its
 * endpoint needs. The labels a pod could use to claim another namespace's or service
 * account's identity are dropped from its own labels and taken from the real objects
 * ({@link PodLabels#of}).
 */
public final class PodMetadataMapper {

	private PodMetadataMapper() {
	}

	/**
	 * The pod's metadata.
	 * @param pod the pod
	 * @param namespace its namespace, {@code null} while not (yet) known: the namespace
	 * labels are then missing, and a later namespace event corrects them
	 * @param clusterName the cluster's name
	 * @return the metadata
	 */
	public static PodMetadata map(Pod pod, Namespace namespace, String clusterName) {
		return map(pod, namespace, clusterName, LabelFilter.defaults());
	}

	/**
	 * The pod's metadata, its labels narrowed to those the filter keeps for identities.
	 * @param pod the pod
	 * @param namespace its namespace, {@code null} while not (yet) known
	 * @param clusterName the cluster's name
	 * @param identityLabels which labels are part of an identity (upstream's
	 * {@code --labels})
	 * @return the metadata
	 */
	public static PodMetadata map(Pod pod, Namespace namespace, String clusterName, LabelFilter identityLabels) {
		String ns = pod.getMetadata().getNamespace();
		Map<String, String> namespaceLabels = (namespace != null) ? labels(namespace.getMetadata().getLabels())
				: Map.of();
		String serviceAccount = (pod.getSpec() != null) ? pod.getSpec().getServiceAccountName() : null;
		return new PodMetadata(ns, pod.getMetadata().getName(),
				PodLabels.of(ns, namespaceLabels, labels(pod.getMetadata().getLabels()), serviceAccount, clusterName)
					.securityRelevant(identityLabels),
				namedPorts(pod));
	}

	/**
	 * Whether two versions of a pod differ in anything {@link #map} reads.
	 * @param before the old version
	 * @param after the new version
	 * @return whether the metadata may have changed
	 */
	public static boolean metadataChanged(Pod before, Pod after) {
		return !Objects.equals(labels(before.getMetadata().getLabels()), labels(after.getMetadata().getLabels()))
				|| !Objects.equals(serviceAccount(before), serviceAccount(after))
				|| !namedPorts(before).equals(namedPorts(after));
	}

	static List<NamedPort> namedPorts(Pod pod) {
		List<NamedPort> ports = new ArrayList<>();
		if (pod.getSpec() == null) {
			return ports;
		}
		List<Container> containers = new ArrayList<>(pod.getSpec().getContainers());
		containers.addAll(pod.getSpec().getInitContainers());
		for (Container container : containers) {
			for (ContainerPort port : container.getPorts()) {
				if (port.getName() != null && !port.getName().isEmpty() && port.getContainerPort() != null) {
					ports.add(new NamedPort(port.getName(), port.getContainerPort(), protocol(port.getProtocol())));
				}
			}
		}
		return ports;
	}

	private static Protocol protocol(String name) {
		// Kubernetes defaults a container port's protocol to TCP.
		return (name == null || name.isEmpty()) ? Protocol.TCP : Protocol.valueOf(name.toUpperCase(Locale.ROOT));
	}

	private static String serviceAccount(Pod pod) {
		return (pod.getSpec() != null) ? pod.getSpec().getServiceAccountName() : null;
	}

	private static Map<String, String> labels(Map<String, String> labels) {
		return (labels != null) ? labels : Map.of();
	}

}
