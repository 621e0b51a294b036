package io.jcilium.operator.multipool;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jcilium.api.crd.v2alpha1.CiliumPodIPPool;
import io.jcilium.operator.k8s.InformerController;
import io.jcilium.operator.k8s.SharedInformers;

/**
 * Multi-pool IPAM on the leader: informers on CiliumPodIPPools and CiliumNodes feed one
 * reconcile loop; a pool change or a node's new request asks for a pass.
 */
public final class MultiPoolController extends InformerController<CiliumPodIPPool, GenericKubernetesResource> {

	MultiPoolController(KubernetesClient client, SharedInformers informers, String ciliumNodeApiVersion, PoolIpam ipam,
			Duration resync) {
		this(client, informers, customResource(ciliumNodeApiVersion, "CiliumNode", "ciliumnodes", false), ipam, resync);
	}

	private MultiPoolController(KubernetesClient client, SharedInformers informers,
			ResourceDefinitionContext ciliumNodeContext, PoolIpam ipam, Duration resync) {
		super("multi-pool", "multi-pool", resync,
				new Watch<>("CiliumPodIPPool",
						SharedInformers.own(() -> client.resources(CiliumPodIPPool.class).runnableInformer(0)),
						Trigger.ANY_CHANGE),
				new Watch<>("CiliumNode", informers.ciliumNodes(ciliumNodeContext), Trigger.ANY_CHANGE),
				new MultiPoolReconciler(client, ciliumNodeContext, ipam)::reconcile);
	}

}
