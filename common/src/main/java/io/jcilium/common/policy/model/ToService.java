package io.jcilium.common.policy.model;

import io.jcilium.common.label.Labels;
import io.jcilium.common.selector.LabelSelector;

/**
 * One {@code toServices} term of an egress rule: a Kubernetes service by name
 * ({@code k8sService}) or services by their labels ({@code k8sServiceSelector}). The
 * rule's peers are the selected services' backends, filled in by
 * {@code io.jcilium.common.policy.services.ToServices} as services change; until a
 * service matches, the term selects nothing (fail closed).
 * <p>
 * As upstream ({@code serviceRefMatches}, {@code serviceSelectorMatches}): an empty
 * namespace matches services in every namespace, and the selector wins when both forms
 * are given.
 *
 * @param serviceName the service's name, or null when selecting by labels
 * @param selector the selector on the service's labels, or null when naming one service
 * @param namespace the service's namespace, empty for any
 */
public record ToService(String serviceName, LabelSelector selector, String namespace) {

	public ToService {
		if (serviceName == null && selector == null) {
			throw new IllegalArgumentException("a toServices term needs k8sService or k8sServiceSelector");
		}
		namespace = (namespace != null) ? namespace : "";
	}

	/**
	 * A service by name.
	 * @param serviceName its name
	 * @param namespace its namespace, empty for any
	 * @return the term
	 */
	public static ToService named(String serviceName, String namespace) {
		return new ToService(serviceName, null, namespace);
	}

	/**
	 * Services by labels.
	 * @param selector the selector on service labels
	 * @param namespace their namespace, empty for any
	 * @return the term
	 */
	public static ToService selected(LabelSelector selector, String namespace) {
		return new ToService(null, selector, namespace);
	}

	/**
	 * Whether this term selects a service.
	 * @param namespace the service's namespace
	 * @param name the service's name
	 * @param labels the service's own labels (metadata.labels, source k8s)
	 * @return whether it is selected
	 */
	public boolean matches(String namespace, String name, Labels labels) {
		if (!this.namespace.isEmpty() && !this.namespace.equals(namespace)) {
			return false;
		}
		if (this.selector != null) {
			return this.selector.matches(labels);
		}
		return this.serviceName.equals(name);
	}

	@Override
	public String toString() {
		String where = this.namespace.isEmpty() ? "*" : this.namespace;
		return (this.selector != null) ? "services" + this.selector + " in " + where
				: "service " + where + "/" + this.serviceName;
	}

}
