package io.jcilium.bgp.nodeconfig;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.ServedLoadBalancerIp;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.api.crd.v2alpha1.CiliumBGPPeeringPolicy;
import io.jcilium.bgp.reconcile.SpeakerPlan;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the speaker runs for CiliumBGPPeeringPolicies written in the shape of upstream's
 * BGP v1 ("legacy") documentation, and which of them applies to a node.
 */
class PeeringPolicyTranslatorTest {

	private static final KubernetesSerialization YAML = new KubernetesSerialization();

	private static final CiliumNode NODE = read("""
			apiVersion: cilium.io/v2
			kind: CiliumNode
			metadata:
			  name: worker-1
			  labels: {rack: rack0}
			  annotations:
			    cilium.io/bgp-virtual-router.64512: "router-id=192.168.10.1,local-port=1790"
			spec:
			  addresses:
			  - {type: InternalIP, ip: 172.18.0.3}
			  ipam:
			    podCIDRs: [10.1.0.0/24, "fd00:1::/64"]
			""", CiliumNode.class);

	@Test
	void upstreamsExamplePolicyBecomesThePlan() throws Exception {
		CiliumBGPPeeringPolicy policy = policy("rack0", "{matchLabels: {rack: rack0}}", """
				  - localASN: 64512
				    exportPodCIDR: true
				    neighbors:
				    - peerAddress: 172.18.0.1/32
				      peerPort: 1179
				      peerASN: 64513
				      connectRetryTimeSeconds: 12
				      holdTimeSeconds: 9
				      keepAliveTimeSeconds: 3
				      gracefulRestart: {enabled: true, restartTimeSeconds: 15}
				      families: [{afi: ipv4, safi: unicast}]
				      advertisedPathAttributes:
				      - selectorType: PodCIDR
				        communities: {standard: ["64512:100"], wellKnown: [no-export]}
				        localPreference: 150
				""");

		assertThat(PeeringPolicyTranslator.select(List.of(policy), NODE, "worker-1")).isSameAs(policy);
		NodeConfigTranslation translation = PeeringPolicyTranslator.translate(policy, NODE, null);

		SpeakerPlan plan = translation.plan();
		assertThat(plan.speaker().localAsn()).isEqualTo(64512);
		assertThat(plan.speaker().routerId()).as("from the node's annotation")
			.isEqualTo(InetAddress.getByName("192.168.10.1"));
		assertThat(plan.speaker().listenPort()).isEqualTo(1790);
		assertThat(plan.speaker().listenAddress()).isEqualTo(InetAddress.getByName("0.0.0.0"));
		assertThat(plan.neighbours()).containsExactly(new NeighbourConfig(InetAddress.getByName("172.18.0.1"), 1179,
				64513, false, 9, 12, Set.of(AddressFamily.IPV4_UNICAST), 15, null, 1, null, 3));
		RouteAttributes attributes = new RouteAttributes(null, 150L, List.of(0xFC000064L, 0xFFFFFF01L));
		assertThat(plan.routes()).containsOnlyKeys(Prefix.parse("10.1.0.0/24"), Prefix.parse("fd00:1::/64"))
			.containsEntry(Prefix.parse("10.1.0.0/24"), attributes);
		assertThat(translation.notices()).isEmpty();
	}

	@Test
	void aMinimalNeighborGetsUpstreamsDefaultsAndWithoutExportPodCidrNothingIsAdvertised() throws Exception {
		CiliumBGPPeeringPolicy policy = policy("p", null, """
				  - localASN: 65000
				    neighbors: [{peerAddress: "fd00:10::1/128", peerASN: 65100}]
				""");

		SpeakerPlan plan = PeeringPolicyTranslator.translate(policy, NODE, null).plan();

		assertThat(plan.neighbours())
			.containsExactly(new NeighbourConfig(InetAddress.getByName("fd00:10::1"), 179, 65100, false, 90, 120,
					Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST), 0, null, 1, null));
		assertThat(plan.routes()).isEmpty();
		assertThat(plan.speaker().routerId()).as("no annotation for AS 65000: the node's IPv4 InternalIP")
			.isEqualTo(InetAddress.getByName("172.18.0.3"));
		assertThat(plan.speaker().listenAddress()).as("no local-port: upstream does not listen").isNull();
	}

	@Test
	void exactlyOnePolicyMaySelectTheNode() {
		CiliumBGPPeeringPolicy otherRack = policy("rack1", "{matchLabels: {rack: rack1}}", "  - {localASN: 65000}\n");
		CiliumBGPPeeringPolicy everyNode = policy("everywhere", null, "  - {localASN: 65000}\n");
		CiliumBGPPeeringPolicy rack0 = policy("rack0",
				"{matchExpressions: [{key: rack, operator: In, values: [rack0]}]}", "  - {localASN: 65000}\n");

		assertThat(PeeringPolicyTranslator.select(List.of(otherRack), NODE, "worker-1")).isNull();
		assertThat(PeeringPolicyTranslator.select(List.of(otherRack, everyNode), NODE, "worker-1"))
			.as("no nodeSelector selects every node")
			.isSameAs(everyNode);
		assertThatExceptionOfType(NodeConfigException.class)
			.isThrownBy(() -> PeeringPolicyTranslator.select(List.of(rack0, otherRack, everyNode), NODE, "worker-1"))
			.withMessage("CiliumBGPPeeringPolicies everywhere, rack0 all select node worker-1; only one may: "
					+ "change their nodeSelectors");
		assertThatExceptionOfType(NodeConfigException.class)
			.isThrownBy(() -> PeeringPolicyTranslator.select(List.of(rack0), null, "worker-1"))
			.withMessage("CiliumNode worker-1 does not exist: its labels decide which CiliumBGPPeeringPolicy "
					+ "applies to this node");
		assertThat(PeeringPolicyTranslator.select(List.of(), null, "worker-1")).isNull();
	}

	@Test
	void whatTheSpeakerCannotHonourIsReportedAndTheRestRuns() {
		CiliumBGPPeeringPolicy policy = policy("p", null, """
				  - localASN: 65000
				    exportPodCIDR: true
				    serviceSelector: {matchLabels: {announce: bgp}}
				    serviceAdvertisements: [LoadBalancerIP]
				    neighbors:
				    - {peerAddress: 10.0.0.4/32, peerASN: 65100, authSecretRef: bgp-auth-secret}
				    - peerAddress: 10.0.0.5/32
				      peerASN: 65100
				      advertisedPathAttributes:
				      - selectorType: CiliumLoadBalancerIPPool
				        localPreference: 150
				      - selectorType: PodCIDR
				        selector: {matchLabels: {nothing: carries-this}}
				        localPreference: 200
				""");

		NodeConfigTranslation translation = PeeringPolicyTranslator.translate(policy, NODE, null);

		assertThat(translation.plan().neighbours()).extracting(NeighbourConfig::name).containsExactly("10.0.0.5");
		assertThat(translation.plan().routes()).as("a PodCIDR selector needing labels matches no pod CIDR")
			.containsEntry(Prefix.parse("10.1.0.0/24"), RouteAttributes.DEFAULT);
		assertThat(translation.notices()).containsExactly(
				"peer 10.0.0.4/32 left out: its TCP MD5 password (authSecretRef bgp-auth-secret): no Secrets are "
						+ "read in this mode",
				"CiliumBGPPeeringPolicy p: advertisedPathAttributes of selectorType CiliumLoadBalancerIPPool are not "
						+ "applied yet (PodCIDR and CiliumPodIPPool ones are)",
				"CiliumBGPPeeringPolicy p: service advertisements need the local agent's node state (set "
						+ "bgp.agent-address) and none has been received yet");
	}

	@Test
	void theServiceSelectorAdvertisesTheSelectedServicesAddressesAsUpstreamsV1Does() {
		NodeState agent = NodeState.newBuilder()
			.addLoadBalancerIps(served("web", "172.16.0.1", "LoadBalancerIP", "bgp", ""))
			.addLoadBalancerIps(served("web", "2001:db8::1", "LoadBalancerIP", "bgp", ""))
			.addLoadBalancerIps(served("web", "10.96.0.1", "ClusterIP", "bgp", ""))
			.addLoadBalancerIps(served("web", "172.16.1.1", "ExternalIP", "bgp", ""))
			.addLoadBalancerIps(served("ours", "172.16.0.2", "LoadBalancerIP", "bgp", "io.cilium/bgp-control-plane"))
			.addLoadBalancerIps(served("metallb", "172.16.0.3", "LoadBalancerIP", "bgp", "metallb.io/metallb"))
			.addLoadBalancerIps(served("quiet", "172.16.0.4", "LoadBalancerIP", "none", ""))
			.build();
		String router = """
				  - localASN: 65000
				    serviceSelector: {matchLabels: {announce: bgp}}
				    neighbors: [{peerAddress: 10.0.0.5/32, peerASN: 65100}]
				""";

		NodeConfigTranslation byDefault = PeeringPolicyTranslator.translate(policy("p", null, router), NODE, agent);
		assertThat(byDefault.plan().routes())
			.as("serviceAdvertisements defaults to LoadBalancerIP; another "
					+ "loadBalancerClass belongs to another announcer")
			.containsOnlyKeys(Prefix.parse("172.16.0.1/32"), Prefix.parse("2001:db8::1/128"),
					Prefix.parse("172.16.0.2/32"));
		assertThat(byDefault.notices()).isEmpty();

		NodeConfigTranslation clusterIps = PeeringPolicyTranslator
			.translate(policy("p", null, router + "    serviceAdvertisements: [ClusterIP, ExternalIP]\n"), NODE, agent);
		assertThat(clusterIps.plan().routes()).containsOnlyKeys(Prefix.parse("10.96.0.1/32"),
				Prefix.parse("172.16.1.1/32"));

		NodeConfigTranslation noSelector = PeeringPolicyTranslator.translate(
				policy("p", null, "  - {localASN: 65000, neighbors: [{peerAddress: 10.0.0.5/32, peerASN: 65100}]}\n"),
				NODE, agent);
		assertThat(noSelector.plan().routes()).as("no serviceSelector, no service").isEmpty();
	}

	private static ServedLoadBalancerIp served(String name, String ip, String kind, String announce,
			String loadBalancerClass) {
		return ServedLoadBalancerIp.newBuilder()
			.setServiceNamespace("default")
			.setServiceName(name)
			.setIp(ip)
			.setKind(kind)
			.putServiceLabels("announce", announce)
			.setLoadBalancerClass(loadBalancerClass)
			.build();
	}

	@Test
	void policiesTheSpeakerCannotRunAreRejectedSayingWhatToChange() {
		assertThatExceptionOfType(NodeConfigException.class)
			.isThrownBy(() -> PeeringPolicyTranslator.translate(policy("p", null, """
					  - {localASN: 65000}
					  - {localASN: 65001}
					"""), NODE, null))
			.withMessage("CiliumBGPPeeringPolicy p has 2 virtualRouters; this speaker runs exactly one");
		assertThatExceptionOfType(NodeConfigException.class)
			.isThrownBy(() -> PeeringPolicyTranslator.translate(policy("p", null, """
					  - localASN: 65000
					    neighbors: [{peerAddress: 10.0.0.1, peerASN: 65100}]
					"""), NODE, null))
			.withMessage("CiliumBGPPeeringPolicy p neighbor peerAddress '10.0.0.1' must be a CIDR, as 10.0.0.1/32 "
					+ "or fd00::1/128");
		CiliumNode badAnnotation = read("""
				apiVersion: cilium.io/v2
				kind: CiliumNode
				metadata:
				  name: worker-1
				  annotations: {cilium.io/bgp-virtual-router.65000: "router-id=fd00::1"}
				""", CiliumNode.class);
		assertThatExceptionOfType(NodeConfigException.class)
			.isThrownBy(() -> PeeringPolicyTranslator.translate(policy("p", null, "  - {localASN: 65000}\n"),
					badAnnotation, null))
			.withMessage("annotation cilium.io/bgp-virtual-router.65000 router-id fd00::1 must be an IPv4 address");
		CiliumNode noAddress = read("""
				apiVersion: cilium.io/v2
				kind: CiliumNode
				metadata: {name: worker-1}
				""", CiliumNode.class);
		assertThatExceptionOfType(NodeConfigException.class).isThrownBy(
				() -> PeeringPolicyTranslator.translate(policy("p", null, "  - {localASN: 65000}\n"), noAddress, null))
			.withMessage("CiliumBGPPeeringPolicy p: the node has no IPv4 InternalIP to take a router id from: "
					+ "annotate its CiliumNode cilium.io/bgp-virtual-router.65000=router-id=<IPv4>");
	}

	@Test
	void eachNeighborGetsThePodCidrsWithItsOwnPathAttributes() throws Exception {
		CiliumBGPPeeringPolicy policy = policy("rack0", null, """
				  - localASN: 64512
				    exportPodCIDR: true
				    neighbors:
				    - peerAddress: 172.18.0.1/32
				      peerASN: 64513
				      advertisedPathAttributes:
				      - selectorType: PodCIDR
				        communities: {standard: ["64512:100"]}
				    - peerAddress: 172.18.0.5/32
				      peerASN: 64514
				      advertisedPathAttributes:
				      - selectorType: PodCIDR
				        localPreference: 300
				    - peerAddress: 172.18.0.9/32
				      peerASN: 64515
				""");

		NodeConfigTranslation translation = PeeringPolicyTranslator.translate(policy, NODE, null);

		SpeakerPlan plan = translation.plan();
		Prefix pods = Prefix.parse("10.1.0.0/24");
		assertThat(plan.routesOf(plan.neighbours().get(0))).containsEntry(pods,
				new RouteAttributes(null, null, List.of(RouteAttributes.community("64512:100"))));
		assertThat(plan.routesOf(plan.neighbours().get(1))).containsEntry(pods,
				new RouteAttributes(null, 300L, List.of()));
		assertThat(plan.routesOf(plan.neighbours().get(2))).containsEntry(pods, RouteAttributes.DEFAULT);
		assertThat(translation.notices()).isEmpty();
	}

	private static CiliumBGPPeeringPolicy policy(String name, String nodeSelector, String virtualRouters) {
		return read("""
				apiVersion: cilium.io/v2alpha1
				kind: CiliumBGPPeeringPolicy
				metadata: {name: %s}
				spec:
				%s  virtualRouters:
				""".formatted(name, (nodeSelector != null) ? "  nodeSelector: " + nodeSelector + "\n" : "")
				+ virtualRouters, CiliumBGPPeeringPolicy.class);
	}

	private static <T> T read(String yaml, Class<T> type) {
		return YAML.unmarshal(yaml, type);
	}

}
