package io.jcilium.operator.bgp;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.api.crd.v2.CiliumBGPClusterConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfigOverride;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.operator.election.LeaderTask;
import io.jcilium.operator.k8s.ReconcileLoop;
import io.jcilium.operator.k8s.InformerController;

/**
 * Writes the CiliumBGPNodeConfigs on the leader: informers on the five kinds a node
 * config depends on (cluster configs, CiliumNodes, overrides, peer configs, and the node
 * configs themselves, so one deleted by hand comes back) feed one {@link ReconcileLoop}
 * whose every pass reconciles the whole cache.
 */
public final class NodeConfigController implements LeaderTask {

	private final KubernetesClient client;

	private final NodeConfigReconciler reconciler;

	private final ReconcileLoop loop;

	private List<SharedIndexInformer<?>> informers;

	private SharedIndexInformer<CiliumBGPClusterConfig> clusters;

	private SharedIndexInformer<CiliumNode> nodes;

	private SharedIndexInformer<CiliumBGPNodeConfigOverride> overrides;

	private SharedIndexInformer<CiliumBGPPeerConfig> peerConfigs;

	private SharedIndexInformer<CiliumBGPNodeConfig> nodeConfigs;

	/**
	 * Create the controller; nothing is watched until {@link #startLeading()}.
	 * @param client the Kubernetes client
	 * @param resync how often to reconcile without events
	 */
	public NodeConfigController(KubernetesClient client, Duration resync) {
		this.client = client;
		this.reconciler = new NodeConfigReconciler(client, Clock.systemUTC());
		this.loop = new ReconcileLoop("bgp-node-config-reconciler", this::pass, resync);
	}

	@Override
	public String name() {
		return "bgp-node-config";
	}

	@Override
	public synchronized void startLeading() {
		if (this.informers != null) {
			return;
		}
		this.clusters = this.client.resources(CiliumBGPClusterConfig.class).runnableInformer(0);
		this.nodes = this.client.resources(CiliumNode.class).runnableInformer(0);
		this.overrides = this.client.resources(CiliumBGPNodeConfigOverride.class).runnableInformer(0);
		this.peerConfigs = this.client.resources(CiliumBGPPeerConfig.class).runnableInformer(0);
		this.nodeConfigs = this.client.resources(CiliumBGPNodeConfig.class).runnableInformer(0);
		this.informers = List.of(this.clusters, this.nodes, this.overrides, this.peerConfigs, this.nodeConfigs);
		for (SharedIndexInformer<?> informer : this.informers) {
			InformerController.retrying(informer);
			trigger(informer);
			informer.start();
		}
		this.loop.start();
	}

	@Override
	public synchronized void stopLeading() {
		this.loop.stop();
		if (this.informers != null) {
			this.informers.forEach(SharedIndexInformer::stop);
			this.informers = null;
		}
	}

	public ReconcileLoop loop() {
		return this.loop;
	}

	private void pass() {
		synchronized (this) {
			if (this.informers == null) {
				return;
			}
			if (!this.informers.stream().allMatch(SharedIndexInformer::hasSynced)) {
				// An unsynced cache would look like deleted objects: retry with backoff.
				throw new IllegalStateException("waiting for the BGP informers to sync");
			}
		}
		this.reconciler.reconcile(this.clusters.getStore().list(), this.nodes.getStore().list(),
				this.overrides.getStore().list(), this.peerConfigs.getStore().list(),
				this.nodeConfigs.getStore().list());
	}

	private <T> void trigger(SharedIndexInformer<T> informer) {
		informer.addEventHandler(new ResourceEventHandler<T>() {
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
		});
	}

}
