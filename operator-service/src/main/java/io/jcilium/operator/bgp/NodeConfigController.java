package io.jcilium.operator.bgp;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.jcilium.api.crd.v2.CiliumBGPClusterConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfigOverride;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.CiliumGroup;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.operator.election.LeaderTask;
import io.jcilium.operator.k8s.InformerController;
import io.jcilium.operator.k8s.ReconcileLoop;
import io.jcilium.operator.k8s.SharedInformers;
import io.jcilium.operator.k8s.SharedInformers.Source;
import io.jcilium.operator.k8s.SharedInformers.Subscription;

/**
 * Writes the CiliumBGPNodeConfigs on the leader: informers on the five kinds a node
 * config depends on (cluster configs, CiliumNodes, overrides, peer configs, and the node
 * configs themselves, so one deleted by hand comes back) feed one {@link ReconcileLoop}
 * whose every pass reconciles the whole cache. The CiliumNodes come from the informer the
 * node lifecycle and multi-pool IPAM read too, as generic resources: each pass reads them
 * as {@link CiliumNode}s.
 */
public final class NodeConfigController implements LeaderTask {

	private final KubernetesClient client;

	private final NodeConfigReconciler reconciler;

	private final ReconcileLoop loop;

	private final Source<CiliumBGPClusterConfig> clusterSource;

	private final Source<GenericKubernetesResource> nodeSource;

	private final Source<CiliumBGPNodeConfigOverride> overrideSource;

	private final Source<CiliumBGPPeerConfig> peerConfigSource;

	private final Source<CiliumBGPNodeConfig> nodeConfigSource;

	// Guarded by this: set while leading.
	private List<Subscription<?>> subscriptions;

	private Subscription<CiliumBGPClusterConfig> clusters;

	private Subscription<GenericKubernetesResource> nodes;

	private Subscription<CiliumBGPNodeConfigOverride> overrides;

	private Subscription<CiliumBGPPeerConfig> peerConfigs;

	private Subscription<CiliumBGPNodeConfig> nodeConfigs;

	/**
	 * Create the controller; nothing is watched until {@link #startLeading()}.
	 * @param client the Kubernetes client
	 * @param informers the operator's shared informers
	 * @param resync how often to reconcile without events
	 */
	public NodeConfigController(KubernetesClient client, SharedInformers informers, Duration resync) {
		this.client = client;
		this.reconciler = new NodeConfigReconciler(client, Clock.systemUTC());
		this.loop = new ReconcileLoop("bgp-node-config-reconciler", this::pass, resync);
		this.clusterSource = SharedInformers
			.own(() -> client.resources(CiliumBGPClusterConfig.class).runnableInformer(0));
		this.nodeSource = informers.ciliumNodes(InformerController
			.customResource(CiliumGroup.GROUP + "/" + CiliumGroup.V2, "CiliumNode", "ciliumnodes", false));
		this.overrideSource = SharedInformers
			.own(() -> client.resources(CiliumBGPNodeConfigOverride.class).runnableInformer(0));
		this.peerConfigSource = SharedInformers
			.own(() -> client.resources(CiliumBGPPeerConfig.class).runnableInformer(0));
		this.nodeConfigSource = SharedInformers
			.own(() -> client.resources(CiliumBGPNodeConfig.class).runnableInformer(0));
	}

	@Override
	public String name() {
		return "bgp-node-config";
	}

	@Override
	public synchronized void startLeading() {
		if (this.subscriptions != null) {
			return;
		}
		this.clusters = this.clusterSource.subscribe(trigger());
		this.nodes = this.nodeSource.subscribe(trigger());
		this.overrides = this.overrideSource.subscribe(trigger());
		this.peerConfigs = this.peerConfigSource.subscribe(trigger());
		this.nodeConfigs = this.nodeConfigSource.subscribe(trigger());
		this.subscriptions = List.of(this.clusters, this.nodes, this.overrides, this.peerConfigs, this.nodeConfigs);
		this.loop.start();
	}

	@Override
	public synchronized void stopLeading() {
		this.loop.stop();
		if (this.subscriptions != null) {
			// The CiliumNode informer keeps running while another controller reads it.
			this.subscriptions.forEach(Subscription::close);
			this.subscriptions = null;
		}
	}

	public ReconcileLoop loop() {
		return this.loop;
	}

	private void pass() {
		synchronized (this) {
			if (this.subscriptions == null) {
				return;
			}
			if (!this.subscriptions.stream().allMatch(Subscription::hasSynced)) {
				// An unsynced cache would look like deleted objects: retry with backoff.
				throw new IllegalStateException("waiting for the BGP informers to sync");
			}
		}
		List<CiliumNode> ciliumNodes = this.nodes.list()
			.stream()
			.map((node) -> this.client.getKubernetesSerialization().convertValue(node, CiliumNode.class))
			.toList();
		this.reconciler.reconcile(this.clusters.list(), ciliumNodes, this.overrides.list(), this.peerConfigs.list(),
				this.nodeConfigs.list());
	}

	private <T> ResourceEventHandler<T> trigger() {
		return new ResourceEventHandler<>() {
			@Override
			public void onAdd(T obj) {
				NodeConfigController.this.loop.trigger();
			}

			@Override
			public void onUpdate(T oldObj, T newObj) {
				NodeConfigController.this.loop.trigger();
			}

			@Override
			public void onDelete(T obj, boolean deletedFinalStateUnknown) {
				NodeConfigController.this.loop.trigger();
			}
		};
	}

}
