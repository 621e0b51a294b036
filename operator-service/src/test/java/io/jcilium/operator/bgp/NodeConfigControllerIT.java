package io.jcilium.operator.bgp;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.api.crd.v2.CiliumBGPClusterConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfigOverride;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.operator.k8s.MockApi;
import io.jcilium.operator.k8s.SharedInformers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's BGP node-config writer against fabric8's mock API server in CRUD mode,
 * with the CRDs this build generates: resources are created and changed through the API
 * as a user would, and the node configs and conditions are read back from it.
 */
@EnableKubernetesMockClient(crud = true)
class NodeConfigControllerIT {

	private static final Duration WAIT = Duration.ofSeconds(60);

	static KubernetesClient client;

	static KubernetesClient operator;

	private NodeConfigController controller;

	@BeforeAll
	static void registerCrds() throws IOException {
		MockApi.warmUp(client);
		operator = MockApi.operatorClient(client);
		for (String plural : List.of("ciliumbgpclusterconfigs", "ciliumbgppeerconfigs", "ciliumbgpnodeconfigoverrides",
				"ciliumbgpnodeconfigs", "ciliumnodes")) {
			try (InputStream in = Objects.requireNonNull(NodeConfigControllerIT.class
				.getResourceAsStream("/META-INF/fabric8/" + plural + ".cilium.io-v1.yml"), plural)) {
				client.apiextensions()
					.v1()
					.customResourceDefinitions()
					.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
					.createOr((existing) -> existing.update());
			}
		}
	}

	@AfterAll
	static void closeOperatorClient() {
		operator.close();
	}

	@BeforeEach
	void start() {
		this.controller = new NodeConfigController(operator, new SharedInformers(operator), Duration.ofSeconds(2));
		this.controller.startLeading();
	}

	@AfterEach
	void stop() {
		this.controller.stopLeading();
		client.resources(CiliumBGPClusterConfig.class).delete();
		client.resources(CiliumBGPPeerConfig.class).delete();
		client.resources(CiliumBGPNodeConfigOverride.class).delete();
		client.resources(CiliumBGPNodeConfig.class).delete();
		client.resources(CiliumNode.class).delete();
	}

	@Test
	void selectedNodeGetsItsConfigOwnedByTheClusterConfigAndOthersNone() {
		createPeerConfig();
		client.resource(BgpResources.node("worker-1", Map.of("rack", "rack0"))).create();
		client.resource(BgpResources.node("worker-2", Map.of("rack", "rack1"))).create();
		CiliumBGPClusterConfig cluster = client.resource(BgpResources.rack0("bgp")).create();

		CiliumBGPNodeConfig config = MockApi.awaitValue(WAIT, () -> nodeConfig("worker-1"));
		assertThat(BgpResources.peerNames(config.getSpec())).containsExactly("tor1", "tor2");
		assertThat(config.getMetadata().getOwnerReferences()).singleElement().satisfies((owner) -> {
			assertThat(owner.getKind()).isEqualTo("CiliumBGPClusterConfig");
			assertThat(owner.getName()).isEqualTo("bgp");
			assertThat(owner.getUid()).isEqualTo(cluster.getMetadata().getUid());
		});
		assertThat(nodeConfig("worker-2")).isNull();
		// A pass before the node's watch event reached its informer set the condition
		// True; the pass that writes the node config sets it False only after that write.
		assertThat(MockApi.awaitValue(WAIT, () -> {
			Condition noMatchingNode = condition("bgp", CiliumBGPClusterConfig.CONDITION_NO_MATCHING_NODE);
			return (noMatchingNode != null && "False".equals(noMatchingNode.getStatus())) ? noMatchingNode : null;
		}).getStatus()).isEqualTo("False");
	}

	@Test
	void anOverrideChangesTheNodesConfigAndKeepsTheStatusItsSpeakerWrote() {
		createPeerConfig();
		client.resource(BgpResources.node("worker-1", Map.of("rack", "rack0"))).create();
		client.resource(BgpResources.rack0("bgp")).create();
		CiliumBGPNodeConfig config = MockApi.awaitValue(WAIT, () -> nodeConfig("worker-1"));
		CiliumBGPNodeConfig.Status status = BgpResources.read("""
				bgpInstances:
				- name: instance-65000
				  localASN: 65000
				  peers:
				  - {name: tor1, peerAddress: 10.0.0.1, peeringState: established}
				""", CiliumBGPNodeConfig.Status.class);
		config.setStatus(status);
		client.resource(config).updateStatus();

		client.resource(BgpResources.override("worker-1")).create();

		CiliumBGPNodeConfig overridden = MockApi.awaitValue(WAIT, () -> {
			CiliumBGPNodeConfig current = nodeConfig("worker-1");
			return (current != null && current.getSpec().bgpInstances.get(0).routerID != null) ? current : null;
		});
		assertThat(overridden.getSpec().bgpInstances.get(0).routerID).isEqualTo("192.168.10.1");
		assertThat(overridden.getSpec().bgpInstances.get(0).peers.get(1).localAddress).isEqualTo("fd00:10::2");
		assertThat(overridden.getStatus().bgpInstances.get(0).peers.get(0).peeringState).isEqualTo("established");
	}

	@Test
	void aNodeThatStopsMatchingLosesItsConfigAndOneThatStartsGetsOne() {
		createPeerConfig();
		client.resource(BgpResources.node("worker-1", Map.of("rack", "rack0"))).create();
		client.resource(BgpResources.node("worker-2", Map.of("rack", "rack1"))).create();
		client.resource(BgpResources.rack0("bgp")).create();
		MockApi.awaitValue(WAIT, () -> nodeConfig("worker-1"));

		client.resources(CiliumNode.class).withName("worker-1").edit((node) -> {
			node.getMetadata().getLabels().put("rack", "rack1");
			return node;
		});
		client.resources(CiliumNode.class).withName("worker-2").edit((node) -> {
			node.getMetadata().getLabels().put("rack", "rack0");
			return node;
		});

		MockApi.awaitValue(WAIT, () -> nodeConfig("worker-2"));
		MockApi.await(WAIT, () -> nodeConfig("worker-1") == null);
	}

	@Test
	void aMissingPeerConfigIsReportedUntilItIsCreated() {
		client.resource(BgpResources.node("worker-1", Map.of("rack", "rack0"))).create();
		client.resource(BgpResources.rack0("bgp")).create();
		assertThat(MockApi.awaitValue(WAIT, () -> {
			Condition missing = condition("bgp", CiliumBGPClusterConfig.CONDITION_MISSING_PEER_CONFIGS);
			return (missing != null && "True".equals(missing.getStatus())) ? missing : null;
		}).getMessage()).contains("CiliumBGPPeerConfig");
		// Upstream writes the node config anyway: its peers run with the defaults. The
		// condition does not wait for the node: a pass that runs before the node's watch
		// event has reached its informer sets it with no node selected yet, so the node
		// config comes in a later pass.
		assertThat(MockApi.awaitValue(WAIT, () -> nodeConfig("worker-1")).getSpec().bgpInstances).isNotEmpty();

		createPeerConfig();

		MockApi.await(WAIT, () -> "False"
			.equals(condition("bgp", CiliumBGPClusterConfig.CONDITION_MISSING_PEER_CONFIGS).getStatus()));
	}

	@Test
	void aNodeConfigDeletedByHandComesBack() {
		createPeerConfig();
		client.resource(BgpResources.node("worker-1", Map.of("rack", "rack0"))).create();
		client.resource(BgpResources.rack0("bgp")).create();
		String uid = MockApi.awaitValue(WAIT, () -> nodeConfig("worker-1")).getMetadata().getUid();

		client.resources(CiliumBGPNodeConfig.class).withName("worker-1").delete();

		MockApi.await(WAIT, () -> {
			CiliumBGPNodeConfig back = nodeConfig("worker-1");
			return back != null && !uid.equals(back.getMetadata().getUid());
		});
	}

	private static void createPeerConfig() {
		client.resource(BgpResources.read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPPeerConfig
				metadata: {name: cilium-peer}
				spec:
				  timers: {holdTimeSeconds: 9, keepAliveTimeSeconds: 3}
				""", CiliumBGPPeerConfig.class)).create();
	}

	private static CiliumBGPNodeConfig nodeConfig(String node) {
		return client.resources(CiliumBGPNodeConfig.class).withName(node).get();
	}

	private static Condition condition(String cluster, String type) {
		CiliumBGPClusterConfig config = client.resources(CiliumBGPClusterConfig.class).withName(cluster).get();
		if (config == null || config.getStatus() == null || config.getStatus().conditions == null) {
			return null;
		}
		return config.getStatus().conditions.stream().filter((c) -> type.equals(c.getType())).findFirst().orElse(null);
	}

}
