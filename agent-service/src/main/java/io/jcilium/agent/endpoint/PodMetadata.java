package io.jcilium.agent.endpoint;

import java.util.List;

import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.NamedPort;

/**
 * What the API server says about one pod, as far as its endpoint needs it.
 *
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param securityLabels the labels its identity is derived from: the pod's own labels
 * with reserved keys dropped, plus namespace, namespace labels, service account and
 * cluster taken from the real objects ({@link io.jcilium.common.policy.model.PodLabels})
 * @param namedPorts the pod's named container ports, for policies that name ports
 */
public record PodMetadata(String namespace, String name, Labels securityLabels, List<NamedPort> namedPorts) {

	public PodMetadata {
		namedPorts = List.copyOf(namedPorts);
	}

}
