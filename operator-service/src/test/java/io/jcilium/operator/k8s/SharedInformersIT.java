package io.jcilium.operator.k8s;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.operator.k8s.SharedInformers.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared Node informer against fabric8's CRUD mock API server: two controllers read
 * one informer; one that closes its subscription gets no further event while the other
 * still does; the informer stops with the last subscription and a new one starts it
 * again.
 */
@EnableKubernetesMockClient(crud = true)
class SharedInformersIT {

	static KubernetesClient client;

	static KubernetesClient operator;

	@BeforeAll
	static void warmUp() {
		MockApi.warmUp(client);
		operator = MockApi.operatorClient(client);
	}

	@AfterAll
	static void closeOperatorClient() {
		operator.close();
	}

	@AfterEach
	void deleteNodes() {
		client.nodes().delete();
	}

	@Test
	void oneInformerServesEverySubscriptionUntilTheLastCloses() {
		createNode("listed");
		SharedInformers informers = new SharedInformers(operator);
		assertThat(informers.nodes()).isSameAs(informers.nodes());
		Names first = new Names();
		Names second = new Names();
		Subscription<Node> firstUse = informers.nodes().subscribe(first);
		MockApi.await(Duration.ofSeconds(30), firstUse::hasSynced);
		Subscription<Node> secondUse = informers.nodes().subscribe(second);
		assertThat(informers.running()).isOne();
		// A subscription to a running informer is given what it has cached, as a list
		// would give a new informer.
		MockApi.await(Duration.ofSeconds(30), () -> second.added.contains("listed"));
		assertThat(first.added).contains("listed");

		firstUse.close();
		firstUse.close();
		createNode("watched");
		MockApi.await(Duration.ofSeconds(30), () -> second.added.contains("watched"));
		assertThat(secondUse.list()).extracting((node) -> node.getMetadata().getName())
			.containsExactlyInAnyOrder("listed", "watched");
		assertThat(first.added).doesNotContain("watched");
		assertThat(informers.running()).isOne();

		secondUse.close();
		assertThat(informers.running()).isZero();

		Names third = new Names();
		try (Subscription<Node> thirdUse = informers.nodes().subscribe(third)) {
			MockApi.await(Duration.ofSeconds(30), thirdUse::hasSynced);
			assertThat(informers.running()).isOne();
			MockApi.await(Duration.ofSeconds(30), () -> third.added.containsAll(List.of("listed", "watched")));
		}
		assertThat(informers.running()).isZero();
	}

	@Test
	void differentResourcesAndFormsHaveInformersOfTheirOwn() {
		SharedInformers informers = new SharedInformers(operator);
		assertThat(informers
			.ciliumNodes(InformerController.customResource("cilium.io/v2", "CiliumNode", "ciliumnodes", false)))
			.isSameAs(informers
				.ciliumNodes(InformerController.customResource("cilium.io/v2", "CiliumNode", "ciliumnodes", false)))
			.isNotSameAs(informers.ciliumNodes(
					InformerController.customResource("cilium.io/v2alpha1", "CiliumNode", "ciliumnodes", false)));
	}

	private static void createNode(String name) {
		client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
	}

	private static final class Names implements ResourceEventHandler<Node> {

		final Set<String> added = ConcurrentHashMap.newKeySet();

		@Override
		public void onAdd(Node obj) {
			this.added.add(obj.getMetadata().getName());
		}

		@Override
		public void onUpdate(Node oldObj, Node newObj) {
		}

		@Override
		public void onDelete(Node obj, boolean deletedFinalStateUnknown) {
		}

	}

}
