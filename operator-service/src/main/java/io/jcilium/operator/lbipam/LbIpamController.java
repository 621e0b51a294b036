package io.jcilium.operator.lbipam;

import java.time.Clock;
import java.time.Duration;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jcilium.operator.election.LeaderTask;
import io.jcilium.operator.k8s.InformerLoop;
import io.jcilium.operator.k8s.InformerLoop.Trigger;
import io.jcilium.operator.k8s.InformerLoop.Watch;
import io.jcilium.operator.k8s.ReconcileLoop;

/**
 * LB-IPAM against the Kubernetes API: informers on Services and
 * {@code CiliumLoadBalancerIPPool}s feed a {@link ReconcileLoop} whose every pass
 * reconciles the whole informer cache. Started and stopped with leadership: only the
 * leader writes.
 */
public final class LbIpamController implements LeaderTask {

	private final InformerLoop<Service, GenericKubernetesResource> informers;

	/**
	 * Create the controller; nothing is watched until {@link #start()}.
	 * @param client the Kubernetes client
	 * @param poolApiVersion the pools' {@code apiVersion}, e.g.
	 * {@code cilium.io/v2alpha1}
	 * @param resync how often to reconcile without events
	 */
	public LbIpamController(KubernetesClient client, String poolApiVersion, Duration resync) {
		ResourceDefinitionContext poolContext = InformerLoop.customResource(poolApiVersion, "CiliumLoadBalancerIPPool",
				"ciliumloadbalancerippools", false);
		LbIpamReconciler reconciler = new LbIpamReconciler(client, poolContext, Clock.systemUTC());
		this.informers = new InformerLoop<>("lbipam-reconciler", resync,
				new Watch<>("Service", () -> client.services().inAnyNamespace().runnableInformer(0),
						Trigger.ANY_CHANGE),
				new Watch<>("CiliumLoadBalancerIPPool",
						() -> client.genericKubernetesResources(poolContext).runnableInformer(0), Trigger.ANY_CHANGE),
				reconciler::reconcile);
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

	public void start() {
		this.informers.start();
	}

	public void stop() {
		this.informers.stop();
	}

	public boolean isRunning() {
		return this.informers.isRunning();
	}

	public ReconcileLoop loop() {
		return this.informers.loop();
	}

}
