package io.jcilium.operator.endpointgc;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jcilium.operator.k8s.SharedInformers;
import io.jcilium.operator.k8s.InformerController;

/**
 * CiliumEndpoint garbage collection on the leader: a pass every interval, and one soon
 * after each pod deletion.
 */
public final class EndpointGcController
		extends InformerController<GenericKubernetesResource, GenericKubernetesResource> {

	/**
	 * Create the controller; nothing runs until {@link #startLeading()}.
	 * @param client the Kubernetes client
	 * @param informers the operator's shared informers
	 * @param endpointApiVersion e.g. {@code cilium.io/v2}
	 * @param interval how often to collect without pod deletions
	 */
	public EndpointGcController(KubernetesClient client, SharedInformers informers, String endpointApiVersion,
			Duration interval) {
		this(client, informers, customResource(endpointApiVersion, "CiliumEndpoint", "ciliumendpoints", true),
				interval);
	}

	// Only a pod deletion can orphan an endpoint; endpoint events need no pass. Pods are
	// read as generic resources and cached as their identity only (CachedForms).
	private EndpointGcController(KubernetesClient client, SharedInformers informers,
			ResourceDefinitionContext endpointContext, Duration interval) {
		super("endpoint-gc", "endpoint-gc", interval, new Watch<>("Pod", informers.pods(), Trigger.DELETE),
				new Watch<>("CiliumEndpoint", informers.ciliumEndpoints(endpointContext), Trigger.NONE),
				new EndpointGarbageCollector(client, endpointContext)::collect);
	}

}
