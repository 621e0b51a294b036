package io.jcilium.agent.nodestate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.agent.service.watch.ServiceSync;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;

/**
 * Level-triggered: any event of this node's Node, the CiliumNodes, Services or
 * EndpointSlices triggers the job {@value #JOB}, which assembles the whole node state
 * from the caches as they are now and publishes it (unchanged, nothing happens); it also
 * runs every {@code resync}. Until every one of those caches has synced it publishes
 * nothing and fails saying so, so that a restarting agent never tells bgp-service that
 * the node serves nothing.
 */
final class NodeStateFeed {

	static final String JOB = "node-state";

	private static final Backoff RETRY = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));

	private final String nodeName;

	private final SharedIndexInformer<Node> node;

	private final SharedIndexInformer<CiliumNode> ciliumNodes;

	private final List<SharedIndexInformer<?>> inputs;

	private final ServiceSync.ServiceCache services;

	private final NodeStatePublisher publisher;

	private final Job job;

	NodeStateFeed(String nodeName, SharedIndexInformer<Node> node, SharedIndexInformer<CiliumNode> ciliumNodes,
			List<SharedIndexInformer<?>> serviceInformers, ServiceSync.ServiceCache services,
			NodeStatePublisher publisher, Jobs jobs, Duration resync) {
		this.nodeName = nodeName;
		this.node = node;
		this.ciliumNodes = ciliumNodes;
		this.inputs = new ArrayList<>(serviceInformers);
		this.inputs.add(node);
		this.inputs.add(ciliumNodes);
		this.services = services;
		this.publisher = publisher;
		this.job = jobs.periodic(JOB, resync, RETRY, this::run);
		this.inputs.forEach((informer) -> informer.addEventHandler(trigger()));
	}

	private void run() {
		for (SharedIndexInformer<?> informer : this.inputs) {
			if (!informer.hasSynced()) {
				throw new IllegalStateException(
						"waiting for the agent's " + informer.getApiTypeClass().getSimpleName() + " cache to sync");
			}
		}
		List<Node> nodes = this.node.getStore().list();
		this.publisher.publish(NodeStateAssembler.assemble(this.nodeName, nodes.isEmpty() ? null : nodes.get(0),
				this.ciliumNodes.getStore().getByKey(this.nodeName), this.services));
	}

	/**
	 * The job that publishes the node state, started with the agent by a
	 * {@code JobLifecycle}.
	 * @return the job
	 */
	Job job() {
		return this.job;
	}

	private <T> ResourceEventHandler<T> trigger() {
		return new ResourceEventHandler<>() {

			@Override
			public void onAdd(T object) {
				NodeStateFeed.this.job.trigger();
			}

			@Override
			public void onUpdate(T before, T after) {
				NodeStateFeed.this.job.trigger();
			}

			@Override
			public void onDelete(T object, boolean finalStateUnknown) {
				NodeStateFeed.this.job.trigger();
			}

		};
	}

}
