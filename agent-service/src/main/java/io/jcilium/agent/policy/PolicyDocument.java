package io.jcilium.agent.policy;

import java.util.Map;
import java.util.function.BiFunction;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import io.jcilium.agent.k8s.PolicyKind;

/**
 * A policy object as the tree of maps and lists the policy parser reads, taken straight
 * from the informer's object (no YAML written and read again): {@code apiVersion} and
 * {@code kind} always set (objects from a list may come without them), and {@code status}
 * left out, since only the spec is policy.
 */
final class PolicyDocument implements BiFunction<PolicyKind, HasMetadata, Map<String, Object>> {

	private final KubernetesSerialization serialization;

	PolicyDocument(KubernetesSerialization serialization) {
		this.serialization = serialization;
	}

	@Override
	@SuppressWarnings("unchecked")
	public Map<String, Object> apply(PolicyKind kind, HasMetadata policy) {
		Map<String, Object> object = this.serialization.convertValue(policy, Map.class);
		object.put("apiVersion", kind.context().getGroup() + "/" + kind.context().getVersion());
		object.put("kind", kind.kind());
		object.remove("status");
		return object;
	}

}
