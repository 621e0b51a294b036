package io.jcilium.agent.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import io.jcilium.common.selector.LabelSelector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.agent.k8s.PolicyKind;
import io.jcilium.agent.k8s.Recorders;
import io.jcilium.agent.k8s.Recorders.RecordingPolicyUpdates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CiliumNetworkPolicy with {@code toServices} from the API server reaches the engine
 * resolved against the services the agent watches, and follows them: before the service
 * exists its rule selects nothing; a service without a selector gives its endpoint
 * slices' addresses; once the service gets a selector, the backend pods by labels in its
 * namespace; once it is deleted, nothing again. The agent's wiring, on a mock API server.
 */
@EnableKubernetesMockClient(crud = true)
class ToServicesWatchIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String KEY = "CiliumNetworkPolicy/team-a/to-web";

	static KubernetesClient client;

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	@Test
	void theRuleFollowsTheServiceItNames() {
		MockCluster.runner(client).run((context) -> {
			RecordingPolicyUpdates updates = context.getBean(RecordingPolicyUpdates.class);
			MockCluster.applyPolicy(client, PolicyKind.CILIUM_NETWORK_POLICY, "team-a", "cnp-to-services.yaml");
			Recorders.await(TIMEOUT, () -> updates.inForce(KEY) != null, updates);
			assertThat(peers(updates)).as("no such service yet: the rule allows nothing").isEmpty();

			MockCluster.apply(client, "service-web.yaml", Service.class);
			MockCluster.apply(client, "endpointslice-web.yaml", EndpointSlice.class);
			List<Peer> addresses = List.of(host("10.0.1.11"), host("10.0.2.12"), host("10.0.1.13"));
			Recorders.await(TIMEOUT, () -> addresses.equals(peers(updates)), updates);

			Service web = client.services().inNamespace("team-a").withName("web").get();
			web.getSpec().setSelector(Map.of("app", "web"));
			client.resource(web).update();
			Peer pods = new Peer.Endpoints(
					LabelSelector.matchLabels(Map.of("app", "web", "k8s:io.kubernetes.pod.namespace", "team-a")));
			Recorders.await(TIMEOUT, () -> List.of(pods).equals(peers(updates)), updates);

			client.services().inNamespace("team-a").withName("web").delete();
			Recorders.await(TIMEOUT, () -> peers(updates).isEmpty(), updates);
			assertThat(updates.inForce(KEY).rules().get(0).rules().get(0).toServices()).hasSize(1);
		});
	}

	private static List<Peer> peers(RecordingPolicyUpdates updates) {
		PolicyObject policy = updates.inForce(KEY);
		return (policy != null) ? policy.rules().get(0).rules().get(0).peers() : null;
	}

	private static Peer host(String address) {
		return new Peer.CidrBlock(Cidr.parse(address + "/32"), List.of());
	}

}
