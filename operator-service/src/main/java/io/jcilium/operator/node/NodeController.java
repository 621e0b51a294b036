package io.jcilium.operator.node;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jcilium.operator.k8s.SharedInformers;
import io.jcilium.operator.k8s.InformerController;
import io.jcilium.operator.k8s.ReconcileLoop;

/**
 * The node lifecycle against the Kubernetes API: informers on Nodes and CiliumNodes feed
 * a {@link ReconcileLoop}; each pass converges every CiliumNode (so deleting or editing
 * one, or changing its Node, is repaired). Runs only on the leader.
 */
public final class NodeController extends InformerController<Node, GenericKubernetesResource> {

	/**
	 * Create the controller; nothing is watched until {@link #startLeading()}.
	 * @param client the Kubernetes client
	 * @param informers the operator's shared informers
	 * @param ciliumNodeApiVersion e.g. {@code cilium.io/v2}
	 * @param allocator cluster IPAM
	 * @param resync how often to reconcile without events
	 */
	public NodeController(KubernetesClient client, SharedInformers informers, String ciliumNodeApiVersion,
			NodeCidrAllocator allocator, Duration resync) {
		this(client, informers, ciliumNodeApiVersion, allocator, IpamMode.CLUSTER_POOL, resync);
	}

	/**
	 * Create the controller; nothing is watched until {@link #startLeading()}.
	 * @param client the Kubernetes client
	 * @param informers the operator's shared informers
	 * @param ciliumNodeApiVersion e.g. {@code cilium.io/v2}
	 * @param allocator cluster IPAM
	 * @param mode whether nodes get a cluster-pool pod CIDR
	 * @param resync how often to reconcile without events
	 */
	public NodeController(KubernetesClient client, SharedInformers informers, String ciliumNodeApiVersion,
			NodeCidrAllocator allocator, IpamMode mode, Duration resync) {
		this(client, informers, customResource(ciliumNodeApiVersion, "CiliumNode", "ciliumnodes", false), allocator,
				mode, resync);
	}

	private NodeController(KubernetesClient client, SharedInformers informers,
			ResourceDefinitionContext ciliumNodeContext, NodeCidrAllocator allocator, IpamMode mode, Duration resync) {
		super("node-lifecycle", "node-lifecycle", resync, new Watch<>("Node", informers.nodes(), Trigger.ANY_CHANGE),
				new Watch<>("CiliumNode", informers.ciliumNodes(ciliumNodeContext), Trigger.ANY_CHANGE),
				new NodeReconciler(client, ciliumNodeContext, allocator, mode)::reconcile);
	}

}
