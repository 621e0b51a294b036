package io.jcilium.operator.endpointgc;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.operator.election.LeaderTask;
import io.jcilium.operator.k8s.ReconcileLoop;

/**
 * CiliumEndpoint garbage collection on the leader: a pass every interval, and one soon
 * after each pod deletion.
 */
public final class EndpointGcController implements LeaderTask {

	private final KubernetesClient client;

	private final ResourceDefinitionContext endpointContext;

	private final EndpointGarbageCollector collector;

	private final ReconcileLoop loop;

	private SharedIndexInformer<Pod> pods;

	private SharedIndexInformer<GenericKubernetesResource> endpoints;

	/**
	 * Create the controller; nothing runs until {@link #startLeading()}.
	 * @param client the Kubernetes client
	 * @param endpointApiVersion e.g. {@code cilium.io/v2}
	 * @param interval how often to collect without pod deletions
	 */
	public EndpointGcController(KubernetesClient client, String endpointApiVersion, Duration interval) {
		this.client = client;
		String[] groupVersion = endpointApiVersion.split("/", 2);
		this.endpointContext = new ResourceDefinitionContext.Builder().withGroup(groupVersion[0])
			.withVersion(groupVersion[1])
			.withKind("CiliumEndpoint")
			.withPlural("ciliumendpoints")
			.withNamespaced(true)
			.build();
		this.collector = new EndpointGarbageCollector(client, this.endpointContext);
		this.loop = new ReconcileLoop("endpoint-gc", this::pass, interval);
	}

	@Override
	public String name() {
		return "endpoint-gc";
	}

	@Override
	public synchronized void startLeading() {
		if (this.pods != null) {
			return;
		}
		this.pods = this.client.pods().inAnyNamespace().runnableInformer(0);
		this.pods.addEventHandler(new ResourceEventHandler<>() {

			@Override
			public void onAdd(Pod obj) {
				// Only a deletion can orphan an endpoint.
			}

			@Override
			public void onUpdate(Pod oldObj, Pod newObj) {
				// Only a deletion can orphan an endpoint.
			}

			@Override
			public void onDelete(Pod obj, boolean deletedFinalStateUnknown) {
				EndpointGcController.this.loop.trigger();
			}

		});
		this.endpoints = this.client.genericKubernetesResources(this.endpointContext)
			.inAnyNamespace()
			.runnableInformer(0);
		this.pods.start();
		this.endpoints.start();
		this.loop.start();
	}

	@Override
	public synchronized void stopLeading() {
		this.loop.stop();
		if (this.pods != null) {
			this.pods.stop();
			this.endpoints.stop();
			this.pods = null;
			this.endpoints = null;
		}
	}

	private void pass() {
		SharedIndexInformer<Pod> podInformer;
		SharedIndexInformer<GenericKubernetesResource> endpointInformer;
		synchronized (this) {
			podInformer = this.pods;
			endpointInformer = this.endpoints;
		}
		if (podInformer == null) {
			return;
		}
		if (!podInformer.hasSynced() || !endpointInformer.hasSynced()) {
			throw new IllegalStateException("waiting for the Pod and CiliumEndpoint informers to sync");
		}
		this.collector.collect(podInformer.getStore().list(), endpointInformer.getStore().list());
	}

}
