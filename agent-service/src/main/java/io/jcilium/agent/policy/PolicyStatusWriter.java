package io.jcilium.agent.policy;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.jcilium.agent.k8s.RetryingWriter;
import io.jcilium.agent.k8s.PolicyKind;

/**
 * Reports whether a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy was accepted,
 * in its {@code status.conditions} ({@link PolicyValidCondition}). Each report reads the
 * object fresh and writes only a changed condition through the status subresource; a
 * failed write is retried by the {@link RetryingWriter}, and a newer report for the same
 * object replaces an unwritten older one.
 */
final class PolicyStatusWriter {

	private final KubernetesClient client;

	private final RetryingWriter writer;

	private final Clock clock;

	PolicyStatusWriter(KubernetesClient client, RetryingWriter writer, Clock clock) {
		this.client = client;
		this.writer = writer;
		this.clock = clock;
	}

	/**
	 * Record the outcome of validating a policy.
	 * @param kind the policy's kind (NetworkPolicy has no status and is ignored)
	 * @param namespace its namespace, {@code null} for cluster-wide
	 * @param name its name
	 * @param error what is wrong, or {@code null} if it was accepted
	 */
	void report(PolicyKind kind, String namespace, String name, String error) {
		if (kind == PolicyKind.NETWORK_POLICY) {
			return;
		}
		this.writer.submit("status/" + kind.key(namespace, name), () -> write(kind, namespace, name, error));
	}

	@SuppressWarnings("unchecked")
	private void write(PolicyKind kind, String namespace, String name, String error) {
		Resource<GenericKubernetesResource> resource = resources(kind, namespace).withName(name);
		GenericKubernetesResource current = resource.get();
		if (current == null) {
			return;
		}
		Object status = current.getAdditionalProperties().get("status");
		Map<String, Object> statusMap = (status instanceof Map<?, ?> map)
				? new LinkedHashMap<>((Map<String, Object>) map) : new LinkedHashMap<>();
		Object existing = statusMap.get("conditions");
		List<Map<String, Object>> conditions = PolicyValidCondition.update(
				(existing instanceof List<?> list) ? (List<Map<String, Object>>) list : null, error,
				this.clock.instant());
		if (conditions == null) {
			return;
		}
		statusMap.put("conditions", conditions);
		current.getAdditionalProperties().put("status", statusMap);
		try {
			resources(kind, namespace).resource(current).updateStatus();
		}
		catch (KubernetesClientException ex) {
			if (ex.getCode() == 404) {
				return;
			}
			throw ex;
		}
	}

	private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> resources(
			PolicyKind kind, String namespace) {
		var all = this.client.genericKubernetesResources(kind.context());
		return (kind == PolicyKind.CILIUM_CLUSTERWIDE_NETWORK_POLICY) ? all : all.inNamespace(namespace);
	}

}
