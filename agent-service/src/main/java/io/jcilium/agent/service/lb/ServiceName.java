package io.jcilium.agent.service.lb;

import java.util.Objects;

/**
 * A Kubernetes service by namespace and name.
 *
 * @param namespace the namespace
 * @param name the name
 */
public record ServiceName(String namespace, String name) {

	public ServiceName {
		Objects.requireNonNull(namespace, "namespace");
		Objects.requireNonNull(name, "name");
	}

	@Override
	public String toString() {
		return this.namespace + "/" + this.name;
	}

}
