package io.jcilium.common.policy.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;

/**
 * The labels Cilium derives for a pod, and the keys policies use to select namespaces.
 * <p>
 * The namespace, namespace-label, cluster and service-account labels come from the API
 * objects, never from the pod's own labels: a pod labelled
 * {@code io.kubernetes.pod.namespace=kube-system} must not land in kube-system's
 * policies, so pod labels under these reserved keys are dropped before the real ones are
 * added.
 */
public final class PodLabels {

	/** The pod's namespace. */
	public static final String NAMESPACE_LABEL = "io.kubernetes.pod.namespace";

	/** Prefix of the copies of the namespace's labels on each pod. */
	public static final String NAMESPACE_LABELS_PREFIX = "io.cilium.k8s.namespace.labels.";

	/** The cluster the pod belongs to. */
	public static final String CLUSTER_LABEL = "io.cilium.k8s.policy.cluster";

	/** The pod's service account. */
	public static final String SERVICE_ACCOUNT_LABEL = "io.cilium.k8s.policy.serviceaccount";

	/** Prefix of keys reserved for Cilium's policy labels. */
	private static final String POLICY_PREFIX = "io.cilium.k8s.policy.";

	/** The label Kubernetes puts on every namespace with its name. */
	public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

	private PodLabels() {
	}

	/**
	 * The identity labels of a pod.
	 * @param namespace the pod's namespace
	 * @param namespaceLabels the namespace's labels
	 * @param podLabels the pod's own labels
	 * @param serviceAccount the service account, or {@code null}
	 * @param clusterName the cluster's name
	 * @return {@code k8s:} labels, with the derived ones authoritative
	 */
	public static Labels of(String namespace, Map<String, String> namespaceLabels, Map<String, String> podLabels,
			String serviceAccount, String clusterName) {
		List<Label> labels = new ArrayList<>();
		podLabels.forEach((key, value) -> {
			if (!isReservedKey(key)) {
				labels.add(Label.k8s(key, value));
			}
		});
		labels.add(Label.k8s(NAMESPACE_LABEL, namespace));
		labels.add(Label.k8s(NAMESPACE_LABELS_PREFIX + NAMESPACE_NAME_LABEL, namespace));
		namespaceLabels.forEach((key, value) -> {
			if (!key.equals(NAMESPACE_NAME_LABEL)) {
				labels.add(Label.k8s(NAMESPACE_LABELS_PREFIX + key, value));
			}
		});
		labels.add(Label.k8s(CLUSTER_LABEL, clusterName));
		if (serviceAccount != null && !serviceAccount.isEmpty()) {
			labels.add(Label.k8s(SERVICE_ACCOUNT_LABEL, serviceAccount));
		}
		return Labels.of(labels);
	}

	/**
	 * Whether a pod may not set this label key itself.
	 * @param key a pod label key
	 * @return whether the key is derived by Cilium
	 */
	public static boolean isReservedKey(String key) {
		return key.equals(NAMESPACE_LABEL) || key.startsWith(NAMESPACE_LABELS_PREFIX) || key.startsWith(POLICY_PREFIX);
	}

}
