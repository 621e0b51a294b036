package io.jcilium.agent.l2announce;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jcilium.api.crd.v2alpha1.CiliumL2AnnouncementPolicy;

/**
 * The inputs from the agent's informers. Until every cache has synced it throws, saying
 * which one: an agent that restarts must not withdraw its announcements because it does
 * not know the services yet.
 */
final class InformerL2Inputs implements Supplier<L2Inputs> {

	private final SharedIndexInformer<CiliumL2AnnouncementPolicy> policies;

	private final SharedIndexInformer<Service> services;

	private final SharedIndexInformer<Node> node;

	private final L2Responder responder;

	InformerL2Inputs(SharedIndexInformer<CiliumL2AnnouncementPolicy> policies, SharedIndexInformer<Service> services,
			SharedIndexInformer<Node> node, L2Responder responder) {
		this.policies = policies;
		this.services = services;
		this.node = node;
		this.responder = responder;
	}

	List<SharedIndexInformer<?>> informers() {
		return List.of(this.policies, this.services, this.node);
	}

	@Override
	public L2Inputs get() {
		for (SharedIndexInformer<?> informer : informers()) {
			if (!informer.hasSynced()) {
				throw new IllegalStateException(
						"waiting for the agent's " + informer.getApiTypeClass().getSimpleName() + " cache to sync");
			}
		}
		List<Node> nodes = this.node.getStore().list();
		Map<String, String> labels = nodes.isEmpty() ? Map.of()
				: Objects.requireNonNullElse(nodes.get(0).getMetadata().getLabels(), Map.of());
		return new L2Inputs(this.policies.getStore().list(), this.services.getStore().list(), labels,
				this.responder.devices());
	}

}
