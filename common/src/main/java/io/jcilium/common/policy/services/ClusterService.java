package io.jcilium.common.policy.services;

import java.util.List;
import java.util.Map;

import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;
import io.jcilium.common.net.Cidr;

/**
 * What {@code toServices} needs to know of a Kubernetes service: its name, its own labels
 * (matched by {@code k8sServiceSelector}), its pod selector, and its backends' addresses
 * (used only for a service without a selector, whose backends are not pods the policy can
 * select by labels).
 *
 * @param namespace the service's namespace
 * @param name the service's name
 * @param labels the service's {@code metadata.labels}
 * @param selector the service's {@code spec.selector}, empty when it has none
 * @param backends the addresses of its endpoints, each a /32 or /128
 */
public record ClusterService(String namespace, String name, Map<String, String> labels, Map<String, String> selector,
		List<Cidr> backends) {

	public ClusterService {
		labels = Map.copyOf(labels);
		selector = Map.copyOf(selector);
		backends = List.copyOf(backends);
	}

	/**
	 * The service's labels as the policy's selectors see them: Kubernetes labels.
	 * @return the labels, source {@code k8s}
	 */
	public Labels serviceLabels() {
		return Labels.fromMap(this.labels, Label.SOURCE_K8S);
	}

	/**
	 * The service's key in the same form as the agent's service names.
	 * @return {@code namespace/name}
	 */
	public String key() {
		return this.namespace + "/" + this.name;
	}

}
