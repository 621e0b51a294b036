package io.jcilium.operator.identitygc;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.jcilium.operator.k8s.SharedInformers;
import io.jcilium.operator.k8s.InformerController;

/**
 * Identity GC on the leader: a pass every interval over the CiliumEndpoints'
 * {@code status.identity.id} and the Nodes (whose agents hold references in
 * identity-service). Events trigger nothing: the rule counts passes, not events.
 */
public final class IdentityGcController extends InformerController<GenericKubernetesResource, Node> {

	IdentityGcController(SharedInformers informers, String endpointApiVersion, IdentityGarbageCollector collector,
			Duration interval) {
		super("identity-gc", "identity-gc", interval, new Watch<>("CiliumEndpoint",
				informers.ciliumEndpoints(
						customResource(endpointApiVersion, "CiliumEndpoint", "ciliumendpoints", true)),
				Trigger.NONE), new Watch<>("Node", informers.nodes(), Trigger.NONE),
				(endpoints, nodes) -> collector.collect(identitiesInUse(endpoints),
						nodes.stream().map((node) -> node.getMetadata().getName()).toList()));
	}

	/** The identity numbers in the endpoints' {@code status.identity.id}. */
	static Set<Long> identitiesInUse(List<GenericKubernetesResource> endpoints) {
		Set<Long> ids = new HashSet<>();
		for (GenericKubernetesResource endpoint : endpoints) {
			if (endpoint.getAdditionalProperties().get("status") instanceof Map<?, ?> status
					&& status.get("identity") instanceof Map<?, ?> identity
					&& identity.get("id") instanceof Number id) {
				ids.add(id.longValue());
			}
		}
		return ids;
	}

}
