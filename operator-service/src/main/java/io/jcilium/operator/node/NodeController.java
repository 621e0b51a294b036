package io.jcilium.operator.node;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.operator.election.LeaderTask;
import io.jcilium.operator.k8s.ReconcileLoop;

/**
 * The node lifecycle against the Kubernetes API: informers on Nodes and CiliumNodes feed
 * a {@link ReconcileLoop}; each pass converges every CiliumNode (so deleting or editing
 * one, or changing its Node, is repaired). Runs only on the leader.
 */
public final class NodeController implements LeaderTask {

	private final KubernetesClient client;

	private final ResourceDefinitionContext ciliumNodeContext;

	private final NodeReconciler reconciler;

	private final ReconcileLoop loop;

	private SharedIndexInformer<Node> nodes;

	private SharedIndexInformer<GenericKubernetesResource> ciliumNodes;

	/**
	 * Create the controller; nothing is watched until {@link #startLeading()}.
	 * @param client the Kubernetes client
	 * @param ciliumNodeApiVersion e.g. {@code cilium.io/v2}
	 * @param allocator cluster IPAM
	 * @param resync how often to reconcile without events
	 */
	public NodeController(KubernetesClient client, String ciliumNodeApiVersion, NodeCidrAllocator allocator,
			Duration resync) {
		this.client = client;
		String[] groupVersion = ciliumNodeApiVersion.split("/", 2);
		this.ciliumNodeContext = new ResourceDefinitionContext.Builder().withGroup(groupVersion[0])
			.withVersion(groupVersion[1])
			.withKind("CiliumNode")
			.withPlural("ciliumnodes")
			.withNamespaced(false)
			.build();
		this.reconciler = new NodeReconciler(client, this.ciliumNodeContext, allocator);
		this.loop = new ReconcileLoop("node-lifecycle", this::pass, resync);
	}

	@Override
	public String name() {
		return "node-lifecycle";
	}

	@Override
	public synchronized void startLeading() {
		if (this.nodes != null) {
			return;
		}
		this.nodes = this.client.nodes().runnableInformer(0);
		this.nodes.addEventHandler(new TriggerHandler<>(this.loop));
		this.ciliumNodes = this.client.genericKubernetesResources(this.ciliumNodeContext).runnableInformer(0);
		this.ciliumNodes.addEventHandler(new TriggerHandler<>(this.loop));
		this.nodes.start();
		this.ciliumNodes.start();
		this.loop.start();
	}

	@Override
	public synchronized void stopLeading() {
		this.loop.stop();
		if (this.nodes != null) {
			this.nodes.stop();
			this.ciliumNodes.stop();
			this.nodes = null;
			this.ciliumNodes = null;
		}
	}

	public ReconcileLoop loop() {
		return this.loop;
	}

	private void pass() {
		SharedIndexInformer<Node> nodeInformer;
		SharedIndexInformer<GenericKubernetesResource> ciliumNodeInformer;
		synchronized (this) {
			nodeInformer = this.nodes;
			ciliumNodeInformer = this.ciliumNodes;
		}
		if (nodeInformer == null) {
			return;
		}
		if (!nodeInformer.hasSynced() || !ciliumNodeInformer.hasSynced()) {
			throw new IllegalStateException("waiting for the Node and CiliumNode informers to sync");
		}
		this.reconciler.reconcile(nodeInformer.getStore().list(), ciliumNodeInformer.getStore().list());
	}

	private record TriggerHandler<T>(ReconcileLoop loop) implements ResourceEventHandler<T> {

		@Override
		public void onAdd(T obj) {
			this.loop.trigger();
		}

		@Override
		public void onUpdate(T oldObj, T newObj) {
			this.loop.trigger();
		}

		@Override
		public void onDelete(T obj, boolean deletedFinalStateUnknown) {
			this.loop.trigger();
		}

	}

}
