package io.jcilium.agent.k8s;

import java.util.Map;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.jcilium.api.hubble.flow.Workload;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pod's workload as upstream's Hubble names it: a Deployment behind its ReplicaSet,
 * else the controller itself; no controller, no workload.
 */
class PodWorkloadOwnersTest {

	@Test
	void aReplicaSetNamedAfterThePodTemplateHashStandsForItsDeployment() {
		Pod pod = pod(Map.of("app", "frontend", "pod-template-hash", "5d8f7c9b4"),
				owner("ReplicaSet", "frontend-5d8f7c9b4", true));
		assertThat(PodWorkloadOwners.workloads(pod)).containsExactly(workload("Deployment", "frontend"));
	}

	@Test
	void otherControllersAreTheWorkloadThemselves() {
		assertThat(PodWorkloadOwners.workloads(pod(Map.of(), owner("StatefulSet", "db", true))))
			.containsExactly(workload("StatefulSet", "db"));
		// a ReplicaSet of its own (no matching hash): no Deployment to guess
		assertThat(PodWorkloadOwners
			.workloads(pod(Map.of("pod-template-hash", "abc"), owner("ReplicaSet", "standalone", true))))
			.containsExactly(workload("ReplicaSet", "standalone"));
	}

	@Test
	void aPodWithoutAControllerHasNoWorkload() {
		assertThat(PodWorkloadOwners.workloads(pod(Map.of(), owner("ConfigMap", "settings", false)))).isEmpty();
		assertThat(PodWorkloadOwners
			.workloads(new PodBuilder().withNewMetadata().withNamespace("shop").withName("bare").endMetadata().build()))
			.isEmpty();
	}

	private static Pod pod(Map<String, String> labels, OwnerReference owner) {
		return new PodBuilder().withNewMetadata()
			.withNamespace("shop")
			.withName("frontend-5d8f7c9b4-x2x7k")
			.withLabels(labels)
			.withOwnerReferences(owner)
			.endMetadata()
			.build();
	}

	private static OwnerReference owner(String kind, String name, boolean controller) {
		return new OwnerReferenceBuilder().withApiVersion("apps/v1")
			.withKind(kind)
			.withName(name)
			.withUid("uid-" + name)
			.withController(controller)
			.build();
	}

	private static Workload workload(String kind, String name) {
		return Workload.newBuilder().setKind(kind).setName(name).build();
	}

}
