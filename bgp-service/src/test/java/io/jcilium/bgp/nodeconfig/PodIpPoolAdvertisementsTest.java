package io.jcilium.bgp.nodeconfig;

import java.util.List;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.PoolBlock;
import io.jcilium.api.crd.v2.CiliumBGPAdvertisement;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.api.crd.v2alpha1.CiliumBGPPeeringPolicy;
import io.jcilium.api.crd.v2alpha1.CiliumPodIPPool;
import io.jcilium.bgp.reconcile.SpeakerPlan;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.Prefix;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which multi-pool blocks of this node are advertised, as upstream's BGP control plane
 * selects them: {@code CiliumPodIPPool} advertisements (v2) and {@code podIPPoolSelector}
 * (v1) match the labels of CiliumPodIPPools (plus {@code io.cilium.podippool.name} and
 * {@code .namespace}); no selector selects no pool; a block of a pool that does not exist
 * is not advertised; the blocks come from the agent's node state, else the CiliumNode.
 */
class PodIpPoolAdvertisementsTest {

	private static final KubernetesSerialization YAML = new KubernetesSerialization();

	/** A multi-pool node: no pod CIDRs, blocks of three pools. */
	private static final CiliumNode NODE = read("""
			apiVersion: cilium.io/v2
			kind: CiliumNode
			metadata: {name: worker-1}
			spec:
			  addresses: [{type: InternalIP, ip: 172.18.0.3}]
			  ipam:
			    pools:
			      allocated:
			      - {pool: default, cidrs: [10.20.1.0/24, "fd00:20::100/120"]}
			      - {pool: blue, cidrs: [10.30.0.0/26, 10.30.0.64/26]}
			      - {pool: gone, cidrs: [10.40.0.0/24]}
			""", CiliumNode.class);

	private static final CiliumPodIPPool DEFAULT_POOL = pool("default", "{}");

	private static final CiliumPodIPPool BLUE_POOL = pool("blue", "{advertise: bgp, colour: blue}");

	private static final List<CiliumPodIPPool> POOLS = List.of(DEFAULT_POOL, BLUE_POOL);

	private static final CiliumBGPPeerConfig PEER_CONFIG = read("""
			apiVersion: cilium.io/v2
			kind: CiliumBGPPeerConfig
			metadata: {name: cilium-peer}
			spec:
			  families:
			  - {afi: ipv4, safi: unicast, advertisements: {matchLabels: {advertise: bgp}}}
			  - {afi: ipv6, safi: unicast, advertisements: {matchLabels: {advertise: bgp}}}
			""", CiliumBGPPeerConfig.class);

	private static final CiliumBGPNodeConfig NODE_CONFIG = read("""
			apiVersion: cilium.io/v2
			kind: CiliumBGPNodeConfig
			metadata: {name: worker-1}
			spec:
			  bgpInstances:
			  - name: i
			    localASN: 65000
			    peers:
			    - {name: tor1, peerASN: 65100, peerAddress: 10.0.0.1, peerConfigRef: {name: cilium-peer}}
			""", CiliumBGPNodeConfig.class);

	@Test
	void theBlocksOfThePoolsTheSelectorMatchesAreAdvertisedWithTheAttributes() {
		SpeakerPlan plan = v2("""
				selector: {matchLabels: {advertise: bgp}}
				attributes: {communities: {standard: ["65000:30"]}, localPreference: 150}
				""", NODE, null, POOLS);
		RouteAttributes attributes = new RouteAttributes(null, 150L, List.of(0xFDE8001EL));
		assertThat(plan.routes()).as("blue's two blocks, not default's")
			.containsOnlyKeys(Prefix.parse("10.30.0.0/26"), Prefix.parse("10.30.0.64/26"))
			.containsEntry(Prefix.parse("10.30.0.0/26"), attributes);
	}

	@Test
	void withoutASelectorNoPoolIsSelectedAndAnEmptyOneSelectsEveryExistingPool() {
		assertThat(v2("", NODE, null, POOLS).routes()).as("no selector: nothing, as upstream").isEmpty();
		assertThat(v2("selector: {}\n", NODE, null, POOLS).routes())
			.as("every pool that exists, each block in its own family; not the deleted pool's block")
			.containsOnlyKeys(Prefix.parse("10.20.1.0/24"), Prefix.parse("fd00:20::100/120"),
					Prefix.parse("10.30.0.0/26"), Prefix.parse("10.30.0.64/26"));
	}

	@Test
	void theSyntheticNameLabelSelectsAPoolByName() {
		SpeakerPlan plan = v2("""
				selector:
				  matchExpressions:
				  - {key: io.cilium.podippool.name, operator: In, values: [default]}
				""", NODE, null, POOLS);
		assertThat(plan.routes()).containsOnlyKeys(Prefix.parse("10.20.1.0/24"), Prefix.parse("fd00:20::100/120"));
		assertThat(v2("""
				selector: {matchLabels: {io.cilium.podippool.namespace: ""}}
				""", NODE, null, POOLS).routes()).as("pools are cluster-scoped: their namespace is empty").hasSize(4);
	}

	@Test
	void aPoolWhoseLabelsStopMatchingIsWithdrawn() {
		CiliumPodIPPool relabelled = pool("blue", "{colour: blue}");
		SpeakerPlan plan = v2("selector: {matchLabels: {advertise: bgp}}\n", NODE, null,
				List.of(DEFAULT_POOL, relabelled));
		assertThat(plan.routes()).isEmpty();
	}

	@Test
	void theAgentsBlocksWinOverTheCiliumNodes() {
		NodeState agent = NodeState.newBuilder()
			.setNodeName("worker-1")
			.addPoolBlocks(PoolBlock.newBuilder().setPool("blue").setCidr("10.30.0.128/26"))
			.addPoolBlocks(PoolBlock.newBuilder().setPool("blue").setCidr("not-a-cidr"))
			.build();
		NodeConfigTranslation translation = NodeConfigTranslator.translate(NODE_CONFIG, List.of(PEER_CONFIG),
				List.of(advertisement("selector: {matchLabels: {colour: blue}}\n")), NODE, agent, PeerPasswords.NONE,
				POOLS);
		assertThat(translation.plan().routes()).as("the block the agent says it has, not the CiliumNode's two")
			.containsOnlyKeys(Prefix.parse("10.30.0.128/26"));
		assertThat(translation.notices())
			.containsExactly("the agent's pool block not-a-cidr is not a CIDR: not advertised");
	}

	@Test
	void aPeeringPolicysPodIpPoolSelectorAdvertisesTheSelectedPoolsToEveryNeighborWithItsAttributes() {
		CiliumBGPPeeringPolicy policy = read("""
				apiVersion: cilium.io/v2alpha1
				kind: CiliumBGPPeeringPolicy
				metadata: {name: p}
				spec:
				  virtualRouters:
				  - localASN: 65000
				    podIPPoolSelector: {matchLabels: {advertise: bgp}}
				    neighbors:
				    - peerAddress: 10.0.0.1/32
				      peerASN: 65100
				      advertisedPathAttributes:
				      - selectorType: CiliumPodIPPool
				        selector: {matchLabels: {colour: blue}}
				        communities: {standard: ["65000:30"]}
				      - selectorType: CiliumPodIPPool
				        selector: {matchLabels: {colour: red}}
				        localPreference: 300
				    - {peerAddress: 10.0.0.2/32, peerASN: 65200}
				""", CiliumBGPPeeringPolicy.class);
		NodeConfigTranslation translation = PeeringPolicyTranslator.translate(policy, NODE, null, PeerPasswords.NONE,
				POOLS);
		SpeakerPlan plan = translation.plan();
		assertThat(plan.neighbours()).hasSize(2);
		assertThat(plan.routesOf(plan.neighbours().get(0))).as("blue's blocks with blue's community")
			.containsOnlyKeys(Prefix.parse("10.30.0.0/26"), Prefix.parse("10.30.0.64/26"))
			.containsEntry(Prefix.parse("10.30.0.0/26"), new RouteAttributes(null, null, List.of(0xFDE8001EL)));
		assertThat(plan.routesOf(plan.neighbours().get(1))).as("no path attributes for the second neighbor")
			.containsOnlyKeys(Prefix.parse("10.30.0.0/26"), Prefix.parse("10.30.0.64/26"))
			.containsEntry(Prefix.parse("10.30.0.0/26"), RouteAttributes.DEFAULT);
		assertThat(translation.notices()).isEmpty();

		policy.getSpec().virtualRouters.get(0).podIPPoolSelector = null;
		assertThat(PeeringPolicyTranslator.translate(policy, NODE, null, PeerPasswords.NONE, POOLS).plan().routes())
			.as("no podIPPoolSelector: no pool, as upstream")
			.isEmpty();
	}

	private static SpeakerPlan v2(String entry, CiliumNode node, NodeState agent, List<CiliumPodIPPool> pools) {
		NodeConfigTranslation translation = NodeConfigTranslator.translate(NODE_CONFIG, List.of(PEER_CONFIG),
				List.of(advertisement(entry)), node, agent, PeerPasswords.NONE, pools);
		assertThat(translation.notices()).isEmpty();
		return translation.plan();
	}

	private static CiliumBGPAdvertisement advertisement(String entry) {
		return read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPAdvertisement
				metadata: {name: pools, labels: {advertise: bgp}}
				spec:
				  advertisements:
				  - advertisementType: CiliumPodIPPool
				""" + entry.indent(4), CiliumBGPAdvertisement.class);
	}

	private static CiliumPodIPPool pool(String name, String labels) {
		return read("""
				apiVersion: cilium.io/v2alpha1
				kind: CiliumPodIPPool
				metadata: {name: %s, labels: %s}
				spec:
				  ipv4: {cidrs: [10.0.0.0/8], maskSize: 24}
				""".formatted(name, labels), CiliumPodIPPool.class);
	}

	private static <T> T read(String yaml, Class<T> type) {
		return YAML.unmarshal(yaml, type);
	}

}
