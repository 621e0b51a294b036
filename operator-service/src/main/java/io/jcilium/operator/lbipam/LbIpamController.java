package io.jcilium.operator.lbipam;

import java.time.Clock;
import java.time.Duration;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.operator.election.LeaderTask;
import io.jcilium.operator.k8s.ReconcileLoop;

/**
 * LB-IPAM against the Kubernetes API: informers on Services and
 * {@code CiliumLoadBalancerIPPool}s feed a {@link ReconcileLoop} whose every pass
 * reconciles the whole informer cache. Started and stopped with leadership: only the
 * leader writes.
 */
public final class LbIpamController implements LeaderTask {

	private final KubernetesClient client;

	private final ResourceDefinitionContext poolContext;

	private final LbIpamReconciler reconciler;

	private final ReconcileLoop loop;

	private SharedIndexInformer<Service> services;

	private SharedIndexInformer<GenericKubernetesResource> pools;

	/**
	 * Create the controller; nothing is watched until {@link #start()}.
	 * @param client the Kubernetes client
	 * @param poolApiVersion the pools' {@code apiVersion}, e.g.
	 * {@code cilium.io/v2alpha1}
	 * @param resync how often to reconcile without events
	 */
	public LbIpamController(KubernetesClient client, String poolApiVersion, Duration resync) {
		this.client = client;
		String[] groupVersion = poolApiVersion.split("/", 2);
		this.poolContext = new ResourceDefinitionContext.Builder().withGroup(groupVersion[0])
			.withVersion(groupVersion[1])
			.withKind("CiliumLoadBalancerIPPool")
			.withPlural("ciliumloadbalancerippools")
			.withNamespaced(false)
			.build();
		this.reconciler = new LbIpamReconciler(client, this.poolContext, Clock.systemUTC());
		this.loop = new ReconcileLoop("lbipam-reconciler", this::pass, resync);
	}

	@Override
	public String name() {
		return "lb-ipam";
	}

	@Override
	public void startLeading() {
		start();
	}

	@Override
	public void stopLeading() {
		stop();
	}

	public synchronized void start() {
		if (this.services != null) {
			return;
		}
		this.services = this.client.services().inAnyNamespace().runnableInformer(0);
		this.services.addEventHandler(new TriggerHandler<>(this.loop));
		this.pools = this.client.genericKubernetesResources(this.poolContext).runnableInformer(0);
		this.pools.addEventHandler(new TriggerHandler<>(this.loop));
		this.services.start();
		this.pools.start();
		this.loop.start();
	}

	public synchronized void stop() {
		this.loop.stop();
		if (this.services != null) {
			this.services.stop();
			this.pools.stop();
			this.services = null;
			this.pools = null;
		}
	}

	public synchronized boolean isRunning() {
		return this.services != null;
	}

	public ReconcileLoop loop() {
		return this.loop;
	}

	private void pass() {
		SharedIndexInformer<Service> serviceInformer;
		SharedIndexInformer<GenericKubernetesResource> poolInformer;
		synchronized (this) {
			serviceInformer = this.services;
			poolInformer = this.pools;
		}
		if (serviceInformer == null) {
			return;
		}
		if (!serviceInformer.hasSynced() || !poolInformer.hasSynced()) {
			throw new IllegalStateException("waiting for the Service and CiliumLoadBalancerIPPool informers to sync");
		}
		this.reconciler.reconcile(serviceInformer.getStore().list(), poolInformer.getStore().list());
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
