package io.jcilium.agent.k8s;

import java.util.Map;
import java.util.function.BiFunction;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * A policy object as the YAML the policy parser reads: {@code apiVersion} and
 * {@code kind} always set (objects from a list may come without them), and {@code status}
 * left out, since only the spec is policy.
 */
final class PolicyYaml implements BiFunction<PolicyKind, HasMetadata, String> {

	private final KubernetesSerialization serialization;

	PolicyYaml(KubernetesSerialization serialization) {
		this.serialization = serialization;
	}

	@Override
	@SuppressWarnings("unchecked")
	public String apply(PolicyKind kind, HasMetadata policy) {
		Map<String, Object> object = this.serialization.convertValue(policy, Map.class);
		object.put("apiVersion", kind.context().getGroup() + "/" + kind.context().getVersion());
		object.put("kind", kind.kind());
		object.remove("status");
		return this.serialization.asYaml(object);
	}

}
