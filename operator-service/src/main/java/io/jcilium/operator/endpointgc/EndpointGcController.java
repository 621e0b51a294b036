package io.jcilium.operator.endpointgc;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jcilium.operator.election.LeaderTask;
import io.jcilium.operator.k8s.InformerLoop;
import io.jcilium.operator.k8s.InformerLoop.Trigger;
import io.jcilium.operator.k8s.InformerLoop.Watch;

/**
 * CiliumEndpoint garbage collection on the leader: a pass every interval, and one soon
 * after each pod deletion.
 */
public final class EndpointGcController implements LeaderTask {

	private final InformerLoop<Pod, GenericKubernetesResource> informers;

	/**
	 * Create the controller; nothing runs until {@link #startLeading()}.
	 * @param client the Kubernetes client
	 * @param endpointApiVersion e.g. {@code cilium.io/v2}
	 * @param interval how often to collect without pod deletions
	 */
	public EndpointGcController(KubernetesClient client, String endpointApiVersion, Duration interval) {
		ResourceDefinitionContext endpointContext = InformerLoop.customResource(endpointApiVersion, "CiliumEndpoint",
				"ciliumendpoints", true);
		EndpointGarbageCollector collector = new EndpointGarbageCollector(client, endpointContext);
		// Only a pod deletion can orphan an endpoint; endpoint events need no pass.
		this.informers = new InformerLoop<>("endpoint-gc", interval,
				new Watch<>("Pod", () -> client.pods().inAnyNamespace().runnableInformer(0), Trigger.DELETE),
				new Watch<>("CiliumEndpoint",
						() -> client.genericKubernetesResources(endpointContext).inAnyNamespace().runnableInformer(0),
						Trigger.NONE),
				collector::collect);
	}

	@Override
	public String name() {
		return "endpoint-gc";
	}

	@Override
	public void startLeading() {
		this.informers.start();
	}

	@Override
	public void stopLeading() {
		this.informers.stop();
	}

}
