package io.jcilium.operator.bgp;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jcilium.api.crd.v2.CiliumBGPClusterConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The node configs and conditions upstream's operator derives from cluster configs,
 * CiliumNodes and overrides.
 */
class NodeConfigPlannerTest {

	private static final Set<String> PEER_CONFIGS = Set.of("cilium-peer");

	@Test
	void selectedNodesGetTheInstanceAndItsPeers() {
		NodeConfigPlan plan = NodeConfigPlanner.plan(List.of(BgpResources.rack0("bgp")),
				List.of(BgpResources.node("worker-1", Map.of("rack", "rack0")),
						BgpResources.node("worker-2", Map.of("rack", "rack1"))),
				List.of(), PEER_CONFIGS);

		assertThat(plan.nodeConfigs()).containsOnlyKeys("worker-1");
		CiliumBGPNodeConfig.Instance instance = plan.nodeConfigs().get("worker-1").spec().bgpInstances.get(0);
		assertThat(instance.name).isEqualTo("instance-65000");
		assertThat(instance.localASN).isEqualTo(65000L);
		assertThat(instance.routerID).isNull();
		assertThat(instance.peers)
			.extracting((p) -> p.name, (p) -> p.peerAddress, (p) -> p.peerASN, (p) -> p.peerConfigRef.name,
					(p) -> p.localAddress)
			.containsExactly(tuple("tor1", "10.0.0.1", 65100L, "cilium-peer", null),
					tuple("tor2", "fd00:10::1", 65100L, "cilium-peer", null));
		assertThat(plan.conditions().get("bgp")).isEmpty();
	}

	@Test
	void theNodesOverrideSetsRouterIdPortAsnAndAPeersLocalAddress() {
		NodeConfigPlan plan = NodeConfigPlanner.plan(List.of(BgpResources.rack0("bgp")),
				List.of(BgpResources.node("worker-1", Map.of("rack", "rack0")),
						BgpResources.node("worker-3", Map.of("rack", "rack0"))),
				List.of(BgpResources.override("worker-1")), PEER_CONFIGS);

		CiliumBGPNodeConfig.Instance overridden = plan.nodeConfigs().get("worker-1").spec().bgpInstances.get(0);
		assertThat(overridden.routerID).isEqualTo("192.168.10.1");
		assertThat(overridden.localPort).isEqualTo(1790);
		assertThat(overridden.localASN).isEqualTo(65001L);
		assertThat(overridden.peers).extracting((p) -> p.localAddress).containsExactly(null, "fd00:10::2");
		CiliumBGPNodeConfig.Instance plain = plan.nodeConfigs().get("worker-3").spec().bgpInstances.get(0);
		assertThat(plain.routerID).isNull();
		assertThat(plain.localASN).isEqualTo(65000L);
	}

	@Test
	void aClusterConfigWithoutNodeSelectorSelectsEveryNode() {
		CiliumBGPClusterConfig everywhere = BgpResources.rack0("everywhere");
		everywhere.getSpec().nodeSelector = null;
		NodeConfigPlan plan = NodeConfigPlanner.plan(List.of(everywhere),
				List.of(BgpResources.node("a", Map.of()), BgpResources.node("b", Map.of("rack", "rack9"))), List.of(),
				PEER_CONFIGS);
		assertThat(plan.nodeConfigs()).containsOnlyKeys("a", "b");
	}

	@Test
	void theYoungerOfTwoClusterConfigsSelectingOneNodeIsConflictingAndTheOlderKeepsIt() {
		CiliumBGPClusterConfig older = BgpResources.rack0("older");
		older.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
		CiliumBGPClusterConfig younger = BgpResources.rack0("younger");
		younger.getMetadata().setCreationTimestamp("2026-02-01T00:00:00Z");
		younger.getSpec().bgpInstances.get(0).localASN = 64999L;

		NodeConfigPlan plan = NodeConfigPlanner.plan(List.of(younger, older),
				List.of(BgpResources.node("worker-1", Map.of("rack", "rack0"))), List.of(), PEER_CONFIGS);

		assertThat(plan.nodeConfigs().get("worker-1").owner().getMetadata().getName()).isEqualTo("older");
		assertThat(plan.nodeConfigs().get("worker-1").spec().bgpInstances.get(0).localASN).isEqualTo(65000L);
		assertThat(plan.conditions().get("younger"))
			.containsExactly(CiliumBGPClusterConfig.CONDITION_CONFLICTING_CLUSTER_CONFIGS);
		assertThat(plan.conditions().get("older")).isEmpty();
	}

	@Test
	void noMatchingNodeAndMissingPeerConfigAreReported() {
		NodeConfigPlan plan = NodeConfigPlanner.plan(List.of(BgpResources.rack0("bgp")),
				List.of(BgpResources.node("worker-2", Map.of("rack", "rack1"))), List.of(), Set.of());
		assertThat(plan.nodeConfigs()).isEmpty();
		assertThat(plan.conditions().get("bgp")).containsExactlyInAnyOrder(
				CiliumBGPClusterConfig.CONDITION_NO_MATCHING_NODE,
				CiliumBGPClusterConfig.CONDITION_MISSING_PEER_CONFIGS);
	}

	@Test
	void matchExpressionsSelectNodesAsKubernetesDoes() {
		CiliumBGPClusterConfig notRack1 = BgpResources.read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPClusterConfig
				metadata: {name: not-rack1}
				spec:
				  nodeSelector:
				    matchExpressions:
				    - {key: rack, operator: NotIn, values: [rack1]}
				  bgpInstances:
				  - name: i
				    localASN: 65000
				""", CiliumBGPClusterConfig.class);
		NodeConfigPlan plan = NodeConfigPlanner.plan(List.of(notRack1),
				List.of(BgpResources.node("in-rack1", Map.of("rack", "rack1")),
						BgpResources.node("in-rack2", Map.of("rack", "rack2")), BgpResources.node("no-rack", Map.of())),
				List.of(), PEER_CONFIGS);
		assertThat(plan.nodeConfigs()).containsOnlyKeys("in-rack2", "no-rack");
		assertThat(plan.nodeConfigs().get("no-rack").spec().bgpInstances.get(0).peers).isNull();
	}

}
