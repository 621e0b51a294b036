package io.jcilium.agent.hubble.enrich;

import java.util.List;

import io.jcilium.api.hubble.flow.Workload;

/**
 * The workloads a local pod belongs to, as flows show them (upstream's
 * {@code Endpoint.workloads}: the Deployment of a ReplicaSet's pod, else the pod's
 * controller).
 */
public interface PodWorkloads {

	/** Knows no workloads: outside Kubernetes. */
	PodWorkloads NONE = (namespace, name) -> List.of();

	/**
	 * @param namespace the pod's namespace
	 * @param name the pod's name
	 * @return its workloads, empty if it has no controller or is not known
	 */
	List<Workload> of(String namespace, String name);

}
