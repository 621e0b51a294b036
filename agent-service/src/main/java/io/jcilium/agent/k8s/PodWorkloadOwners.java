package io.jcilium.agent.k8s;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.jcilium.agent.hubble.enrich.PodWorkloads;
import io.jcilium.api.hubble.flow.Workload;

/**
 * A local pod's workload for Hubble's flows, as upstream's {@code GetWorkloadMetaFromPod}
 * finds it: the pod's controller, except that a ReplicaSet whose name ends in the pod's
 * {@code pod-template-hash} stands for its Deployment (the ReplicaSet's name less that
 * suffix). A pod without a controller has no workload.
 */
final class PodWorkloadOwners implements PodWorkloads {

	static final String POD_TEMPLATE_HASH = "pod-template-hash";

	private final LocalPods pods;

	PodWorkloadOwners(LocalPods pods) {
		this.pods = pods;
	}

	@Override
	public List<Workload> of(String namespace, String name) {
		Pod pod = this.pods.get(namespace, name);
		return (pod != null) ? workloads(pod) : List.of();
	}

	static List<Workload> workloads(Pod pod) {
		List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
		if (owners == null) {
			return List.of();
		}
		for (OwnerReference owner : owners) {
			if (Boolean.TRUE.equals(owner.getController()) && owner.getName() != null && owner.getKind() != null) {
				return List.of(workload(owner, pod.getMetadata().getLabels()));
			}
		}
		return List.of();
	}

	private static Workload workload(OwnerReference controller, Map<String, String> labels) {
		String hash = (labels != null) ? labels.get(POD_TEMPLATE_HASH) : null;
		if ("ReplicaSet".equals(controller.getKind()) && hash != null && !hash.isEmpty()
				&& controller.getName().endsWith("-" + hash)) {
			String deployment = controller.getName().substring(0, controller.getName().length() - hash.length() - 1);
			return Workload.newBuilder().setKind("Deployment").setName(deployment).build();
		}
		return Workload.newBuilder().setKind(controller.getKind()).setName(controller.getName()).build();
	}

}
