package io.jcilium.operator.node;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jcilium.operator.election.LeaderTask;
import io.jcilium.operator.k8s.InformerLoop;
import io.jcilium.operator.k8s.InformerLoop.Trigger;
import io.jcilium.operator.k8s.InformerLoop.Watch;
import io.jcilium.operator.k8s.ReconcileLoop;

/**
 * The node lifecycle against the Kubernetes API: informers on Nodes and CiliumNodes feed
 * a {@link ReconcileLoop}; each pass converges every CiliumNode (so deleting or editing
 * one, or changing its Node, is repaired). Runs only on the leader.
 */
public final class NodeController implements LeaderTask {

	private final InformerLoop<Node, GenericKubernetesResource> informers;

	/**
	 * Create the controller; nothing is watched until {@link #startLeading()}.
	 * @param client the Kubernetes client
	 * @param ciliumNodeApiVersion e.g. {@code cilium.io/v2}
	 * @param allocator cluster IPAM
	 * @param resync how often to reconcile without events
	 */
	public NodeController(KubernetesClient client, String ciliumNodeApiVersion, NodeCidrAllocator allocator,
			Duration resync) {
		ResourceDefinitionContext ciliumNodeContext = InformerLoop.customResource(ciliumNodeApiVersion, "CiliumNode",
				"ciliumnodes", false);
		NodeReconciler reconciler = new NodeReconciler(client, ciliumNodeContext, allocator);
		this.informers = new InformerLoop<>("node-lifecycle", resync,
				new Watch<>("Node", () -> client.nodes().runnableInformer(0), Trigger.ANY_CHANGE),
				new Watch<>("CiliumNode",
						() -> client.genericKubernetesResources(ciliumNodeContext).runnableInformer(0),
						Trigger.ANY_CHANGE),
				reconciler::reconcile);
	}

	@Override
	public String name() {
		return "node-lifecycle";
	}

	@Override
	public void startLeading() {
		this.informers.start();
	}

	@Override
	public void stopLeading() {
		this.informers.stop();
	}

	public ReconcileLoop loop() {
		return this.informers.loop();
	}

}
