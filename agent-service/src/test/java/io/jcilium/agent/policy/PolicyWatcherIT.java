package io.jcilium.agent.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.k8s.Recorders.RecordingPolicyUpdates;

import static org.assertj.core.api.Assertions.assertThat;
import io.jcilium.agent.k8s.PolicyKind;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.agent.k8s.Recorders;

/**
 * Policies from the API server reach the policy engine only when valid: a bad edit of a
 * CiliumNetworkPolicy leaves its last good version in force and gets upstream's
 * {@code Valid=False} condition with the reason, a good edit replaces it and sets
 * {@code Valid=True}, deletion removes it; NetworkPolicy and
 * CiliumClusterwideNetworkPolicy flow the same way.
 */
@EnableKubernetesMockClient(crud = true)
class PolicyWatcherIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String L3_RULE = "CiliumNetworkPolicy/default/l3-rule";

	private static final String MARKER = "CiliumNetworkPolicy/default/marker";

	static KubernetesClient client;

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	@Test
	void malformedUpdateIsRejectedWithAConditionAndThePreviousVersionStays() {
		MockCluster.runner(client).run((context) -> {
			RecordingPolicyUpdates updates = context.getBean(RecordingPolicyUpdates.class);
			PolicyKind cnp = PolicyKind.CILIUM_NETWORK_POLICY;

			MockCluster.applyPolicy(client, cnp, "default", "cnp-l3-rule.yaml");
			Recorders.await(TIMEOUT, () -> updates.count("upsert " + L3_RULE) == 1, updates);
			Recorders.await(TIMEOUT, () -> "True".equals(validStatus(cnp, "l3-rule")), updates);
			assertThat(validCondition(cnp, "l3-rule")).containsEntry("message", "Policy validation succeeded");
			PolicyObject good = updates.inForce(L3_RULE);
			assertThat(good.rules()).hasSize(1);

			MockCluster.applyPolicy(client, cnp, "default", "cnp-l3-rule-malformed.yaml");
			Recorders.await(TIMEOUT, () -> "False".equals(validStatus(cnp, "l3-rule")), updates);
			assertThat((String) validCondition(cnp, "l3-rule").get("message")).contains("l3-rule")
				.contains("80/tcp")
				.contains("neither a port number nor a valid port name");
			// The bad version never reached the engine: the good one is still in force.
			assertThat(updates.count("upsert " + L3_RULE)).isEqualTo(1);
			assertThat(updates.inForce(L3_RULE)).isSameAs(good);
			// The condition's own write does not make the agent parse again. Its watch
			// event precedes that of a policy created after it was written, so once the
			// later policy arrived, the condition's event was seen too.
			GenericKubernetesResource marker = client.getKubernetesSerialization()
				.unmarshal(MockCluster.manifest("cnp-l3-rule.yaml"), GenericKubernetesResource.class);
			marker.getMetadata().setName("marker");
			client.genericKubernetesResources(cnp.context()).inNamespace("default").resource(marker).create();
			Recorders.await(TIMEOUT, () -> updates.count("upsert " + MARKER) == 1, updates);
			assertThat(updates.calls()).containsExactly("upsert " + L3_RULE, "upsert " + MARKER);
			client.genericKubernetesResources(cnp.context()).inNamespace("default").withName("marker").delete();
			Recorders.await(TIMEOUT, () -> updates.count("remove " + MARKER) == 1, updates);

			MockCluster.applyPolicy(client, cnp, "default", "cnp-l4-rule.yaml");
			Recorders.await(TIMEOUT, () -> updates.count("upsert " + L3_RULE) == 2, updates);
			Recorders.await(TIMEOUT, () -> "True".equals(validStatus(cnp, "l3-rule")), updates);
			assertThat(updates.inForce(L3_RULE)).isNotSameAs(good);
			assertThat(validCondition(cnp, "l3-rule")).containsEntry("message", "Policy validation succeeded");

			client.genericKubernetesResources(cnp.context()).inNamespace("default").withName("l3-rule").delete();
			Recorders.await(TIMEOUT, () -> updates.count("remove " + L3_RULE) == 1, updates);
			assertThat(updates.inForce(L3_RULE)).isNull();
		});
	}

	@Test
	void networkPolicyAndClusterwidePolicyReachTheEngineAndLeaveOnDeletion() {
		MockCluster.runner(client).run((context) -> {
			RecordingPolicyUpdates updates = context.getBean(RecordingPolicyUpdates.class);
			String netpol = "NetworkPolicy/default/test-network-policy";
			String ccnp = "CiliumClusterwideNetworkPolicy//wildcard-from-endpoints";
			PolicyKind clusterwide = PolicyKind.CILIUM_CLUSTERWIDE_NETWORK_POLICY;

			MockCluster.apply(client, "networkpolicy-test-network-policy.yaml", NetworkPolicy.class);
			MockCluster.applyPolicy(client, clusterwide, null, "ccnp-wildcard-from-endpoints.yaml");
			Recorders.await(TIMEOUT, () -> updates.inForce(netpol) != null && updates.inForce(ccnp) != null, updates);
			// One rule per direction for the NetworkPolicy, as upstream translates it.
			assertThat(updates.inForce(netpol).rules()).isNotEmpty();
			assertThat(updates.inForce(ccnp).namespace()).isEmpty();
			Recorders.await(TIMEOUT, () -> "True".equals(validStatus(clusterwide, "wildcard-from-endpoints")), updates);

			client.network().v1().networkPolicies().inNamespace("default").withName("test-network-policy").delete();
			client.genericKubernetesResources(clusterwide.context()).withName("wildcard-from-endpoints").delete();
			Recorders.await(TIMEOUT,
					() -> updates.count("remove " + netpol) == 1 && updates.count("remove " + ccnp) == 1, updates);
			assertThat(updates.inForce(netpol)).isNull();
			assertThat(updates.inForce(ccnp)).isNull();
		});
	}

	private static Object validStatus(PolicyKind kind, String name) {
		Map<String, Object> condition = validCondition(kind, name);
		return (condition != null) ? condition.get("status") : null;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> validCondition(PolicyKind kind, String name) {
		var resources = client.genericKubernetesResources(kind.context());
		GenericKubernetesResource policy = (kind == PolicyKind.CILIUM_CLUSTERWIDE_NETWORK_POLICY)
				? resources.withName(name).get() : resources.inNamespace("default").withName(name).get();
		if (policy == null || !(policy.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
			return null;
		}
		Object conditions = status.get("conditions");
		if (!(conditions instanceof List<?> list)) {
			return null;
		}
		return list.stream()
			.map((condition) -> (Map<String, Object>) condition)
			.filter((condition) -> PolicyValidCondition.TYPE.equals(condition.get("type")))
			.findFirst()
			.orElse(null);
	}

}
