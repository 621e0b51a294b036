package io.jcilium.operator.lbipam;

import java.time.Clock;
import java.time.Duration;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jcilium.operator.k8s.InformerController;
import io.jcilium.operator.k8s.SharedInformers;
import io.jcilium.operator.k8s.ReconcileLoop;

/**
 * LB-IPAM against the Kubernetes API: informers on Services and
 * {@code CiliumLoadBalancerIPPool}s feed a {@link ReconcileLoop} whose every pass
 * reconciles the whole informer cache. Started and stopped with leadership: only the
 * leader writes.
 */
public final class LbIpamController extends InformerController<Service, GenericKubernetesResource> {

	/**
	 * Create the controller; nothing is watched until {@link #start()}.
	 * @param client the Kubernetes client
	 * @param poolApiVersion the pools' {@code apiVersion}, e.g.
	 * {@code cilium.io/v2alpha1}
	 * @param resync how often to reconcile without events
	 */
	public LbIpamController(KubernetesClient client, String poolApiVersion, Duration resync) {
		this(client, customResource(poolApiVersion, "CiliumLoadBalancerIPPool", "ciliumloadbalancerippools", false),
				resync);
	}

	private LbIpamController(KubernetesClient client, ResourceDefinitionContext poolContext, Duration resync) {
		super("lb-ipam", "lbipam-reconciler", resync, new Watch<>("Service",
				SharedInformers.own(() -> client.services().inAnyNamespace().runnableInformer(0)), Trigger.ANY_CHANGE),
				new Watch<>("CiliumLoadBalancerIPPool",
						SharedInformers.own(() -> client.genericKubernetesResources(poolContext).runnableInformer(0)),
						Trigger.ANY_CHANGE),
				new LbIpamReconciler(client, poolContext, Clock.systemUTC())::reconcile);
	}

	public void start() {
		startLeading();
	}

	public void stop() {
		stopLeading();
	}

}
