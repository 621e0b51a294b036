package io.jcilium.agent.cidr;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.agent.k8s.PolicyKind;
import io.jcilium.agent.k8s.Recorders;
import io.jcilium.agent.k8s.Recorders.RecordingIpcache;
import io.jcilium.agent.k8s.Recorders.RecordingPolicyUpdates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * As the agent wires it: a CiliumNetworkPolicy with a CIDR rule, created on the API
 * server, reaches the policy through the CIDR feed (its prefixes' identities first) and
 * puts its prefixes into the ipcache; deleting it takes them out again.
 */
@EnableKubernetesMockClient(crud = true)
class CidrWiringIT {

	/**
	 * Generous: informer events from the mock server can take long on a loaded machine.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final String KEY = "CiliumNetworkPolicy/default/cidr-except";

	static KubernetesClient client;

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	private static boolean hasStatus(PolicyKind kind) {
		GenericKubernetesResource object = client.genericKubernetesResources(kind.context())
			.inNamespace("default")
			.withName("cidr-except")
			.get();
		return object != null && object.getAdditionalProperties().get("status") != null;
	}

	@Test
	void aCidrPolicyFromTheApiServerGetsIdentitiesAndIpcachePrefixes() {
		MockCluster.runner(client).withUserConfiguration(CidrConfiguration.class).run((context) -> {
			RecordingPolicyUpdates policy = context.getBean(RecordingPolicyUpdates.class);
			RecordingIpcache ipcache = context.getBean(RecordingIpcache.class);
			PolicyKind cnp = PolicyKind.CILIUM_NETWORK_POLICY;

			MockCluster.applyPolicy(client, cnp, "default", "cnp-cidr-except.yaml");
			Recorders.await(TIMEOUT, () -> policy.count("upsert " + KEY) == 1, policy);
			// the prefixes follow the policy on the watcher's thread
			Recorders.await(TIMEOUT, () -> ipcache.has("203.0.113.0/24") && ipcache.has("203.0.113.128/25"), ipcache);
			assertThat(policy.calls().subList(0, 2)).allMatch((call) -> call.startsWith("identity 1677721"));
			assertThat(ipcache.get("203.0.113.0/24")).startsWith("1677721");
			assertThat(ipcache.get("203.0.113.128/25")).startsWith("1677721");
			assertThat(ipcache.get("203.0.113.0/24")).isNotEqualTo(ipcache.get("203.0.113.128/25"));

			// The agent's Valid condition is written back to the object; deleting it
			// before
			// that write lands lets the mock server's CRUD mode re-create the object.
			Recorders.await(TIMEOUT, () -> hasStatus(cnp), policy);
			client.genericKubernetesResources(cnp.context()).inNamespace("default").withName("cidr-except").delete();
			Recorders.await(TIMEOUT, () -> policy.count("remove " + KEY) == 1, policy);
			Recorders.await(TIMEOUT, () -> !ipcache.has("203.0.113.0/24") && !ipcache.has("203.0.113.128/25"), ipcache);
			// the identities leave the policy once their prefixes left the ipcache
			Recorders.await(TIMEOUT,
					() -> policy.calls()
						.stream()
						.filter((call) -> call.startsWith("remove identity 1677721"))
						.count() == 2,
					policy);
		});
	}

}
