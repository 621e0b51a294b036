package io.jcilium.agent.identity.cardinality;

import java.util.List;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.agent.identity.cardinality.IdentityCardinality.Finding;
import io.jcilium.agent.k8s.MockCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A finding becomes one Warning Event on its namespace in the API server (the mock server
 * in CRUD mode), and the same finding reported by a second agent leaves that one Event as
 * it is.
 */
@EnableKubernetesMockClient(crud = true)
class CardinalityEventsIT {

	static KubernetesClient client;

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	@Test
	void aFindingIsOneWarningEventOnItsNamespaceWhicheverAgentsReportIt() {
		Finding finding = new Finding("shop", "k8s:request-id", 70, 70, List.of("r-0", "r-1", "r-10"));

		new CardinalityEvents(client, "node-1").accept(finding);
		new CardinalityEvents(client, "node-2").accept(finding);

		List<Event> events = client.v1().events().inNamespace("shop").list().getItems();
		assertThat(events).singleElement().satisfies((event) -> {
			assertThat(event.getType()).isEqualTo("Warning");
			assertThat(event.getReason()).isEqualTo("IdentityLabelCardinality");
			assertThat(event.getInvolvedObject().getKind()).isEqualTo("Namespace");
			assertThat(event.getInvolvedObject().getName()).isEqualTo("shop");
			assertThat(event.getSource().getHost()).isEqualTo("node-1");
			assertThat(event.getMessage()).isEqualTo("label k8s:request-id has 70 distinct values among 70 "
					+ "identities of this namespace, each value an identity of its own; leave it out of identities "
					+ "with the label pattern k8s:!request-id$");
			assertThat(event.getMetadata().getName())
				.matches("jcilium-identity-cardinality\\.k8s-request-id\\.[0-9a-f]{8}");
		});
	}

}
