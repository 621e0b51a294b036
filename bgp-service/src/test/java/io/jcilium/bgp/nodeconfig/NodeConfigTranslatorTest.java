package io.jcilium.bgp.nodeconfig;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.ServedLoadBalancerIp;
import io.jcilium.api.crd.v2.CiliumBGPAdvertisement;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.bgp.reconcile.SpeakerPlan;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the speaker runs for node configs, peer configs and advertisements written in the
 * shape of upstream's BGP v2 documentation.
 */
class NodeConfigTranslatorTest {

	private static final KubernetesSerialization YAML = new KubernetesSerialization();

	private static final CiliumNode NODE = read("""
			apiVersion: cilium.io/v2
			kind: CiliumNode
			metadata: {name: worker-1}
			spec:
			  addresses:
			  - {type: InternalIP, ip: "fd00:10::2"}
			  - {type: InternalIP, ip: 172.18.0.3}
			  ipam:
			    podCIDRs: [10.1.0.0/24, "fd00:1::/64"]
			""", CiliumNode.class);

	private static final CiliumBGPPeerConfig PEER_CONFIG = read("""
			apiVersion: cilium.io/v2
			kind: CiliumBGPPeerConfig
			metadata: {name: cilium-peer}
			spec:
			  timers: {holdTimeSeconds: 9, keepAliveTimeSeconds: 3, connectRetryTimeSeconds: 12}
			  transport: {peerPort: 1179}
			  gracefulRestart: {enabled: true, restartTimeSeconds: 15}
			  families:
			  - afi: ipv4
			    safi: unicast
			    advertisements:
			      matchLabels: {advertise: bgp}
			  - afi: ipv6
			    safi: unicast
			    advertisements:
			      matchLabels: {advertise: bgp}
			""", CiliumBGPPeerConfig.class);

	private static final CiliumBGPAdvertisement POD_CIDR = read("""
			apiVersion: cilium.io/v2
			kind: CiliumBGPAdvertisement
			metadata:
			  name: pod-cidr
			  labels: {advertise: bgp}
			spec:
			  advertisements:
			  - advertisementType: PodCIDR
			    attributes:
			      communities:
			        standard: ["65000:99", "4294967295"]
			        wellKnown: [no-export]
			      localPreference: 99
			""", CiliumBGPAdvertisement.class);

	private static final CiliumBGPAdvertisement SERVICES = read("""
			apiVersion: cilium.io/v2
			kind: CiliumBGPAdvertisement
			metadata:
			  name: services
			  labels: {advertise: bgp}
			spec:
			  advertisements:
			  - advertisementType: Service
			    service: {addresses: [LoadBalancerIP]}
			    selector: {matchLabels: {announce: bgp}}
			    attributes:
			      communities: {standard: ["65000:7"]}
			""", CiliumBGPAdvertisement.class);

	@Test
	void aNodeConfigWithPeerConfigAndAdvertisementBecomesThePlan() throws Exception {
		CiliumBGPNodeConfig config = nodeConfig("""
				  - name: instance-65000
				    localASN: 65000
				    routerID: 192.168.10.1
				    localPort: 1790
				    peers:
				    - name: tor1
				      peerASN: 65100
				      peerAddress: 10.0.0.1
				      localAddress: 10.0.0.2
				      peerConfigRef: {name: cilium-peer}
				""");

		NodeConfigTranslation translation = NodeConfigTranslator.translate(config, List.of(PEER_CONFIG),
				List.of(POD_CIDR), NODE);

		SpeakerPlan plan = translation.plan();
		assertThat(plan.speaker().localAsn()).isEqualTo(65000);
		assertThat(plan.speaker().routerId()).isEqualTo(InetAddress.getByName("192.168.10.1"));
		assertThat(plan.speaker().listenAddress()).isEqualTo(InetAddress.getByName("10.0.0.2"));
		assertThat(plan.speaker().listenPort()).isEqualTo(1790);
		assertThat(plan.neighbours())
			.containsExactly(new NeighbourConfig(InetAddress.getByName("10.0.0.1"), 1179, 65100, false, 9, 12,
					Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST), 15, null, 1, null, 3));
		RouteAttributes attributes = new RouteAttributes(null, 99L, List.of(0xFDE80063L, 0xFFFFFFFFL, 0xFFFFFF01L));
		assertThat(plan.routes()).containsOnlyKeys(Prefix.parse("10.1.0.0/24"), Prefix.parse("fd00:1::/64"))
			.containsEntry(Prefix.parse("10.1.0.0/24"), attributes)
			.containsEntry(Prefix.parse("fd00:1::/64"), attributes);
		assertThat(translation.notices()).isEmpty();
	}

	@Test
	void eachPeerGetsOnlyTheAdvertisementsItsOwnFamiliesSelect() throws Exception {
		CiliumBGPPeerConfig podsOnly = read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPPeerConfig
				metadata: {name: pods-only}
				spec:
				  families:
				  - {afi: ipv4, safi: unicast, advertisements: {matchLabels: {advertise: pods}}}
				""", CiliumBGPPeerConfig.class);
		CiliumBGPAdvertisement pods = read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPAdvertisement
				metadata:
				  name: pods
				  labels: {advertise: pods}
				spec:
				  advertisements:
				  - advertisementType: PodCIDR
				    attributes: {localPreference: 120}
				""", CiliumBGPAdvertisement.class);
		CiliumBGPNodeConfig config = nodeConfig("""
				  - name: i
				    localASN: 65000
				    routerID: 192.168.10.1
				    peers:
				    - {name: tor1, peerASN: 65100, peerAddress: 10.0.0.1, peerConfigRef: {name: cilium-peer}}
				    - {name: tor2, peerASN: 65200, peerAddress: 10.0.0.5, peerConfigRef: {name: pods-only}}
				    - {name: tor3, peerASN: 65300, peerAddress: 10.0.0.9}
				""");
		NodeState agent = NodeState.newBuilder()
			.addPodCidrs("10.1.0.0/24")
			.addLoadBalancerIps(
					served("web", "172.16.0.100", "LoadBalancerIP", Map.of("announce", "bgp"), false, false))
			.build();

		SpeakerPlan plan = NodeConfigTranslator
			.translate(config, List.of(PEER_CONFIG, podsOnly), List.of(POD_CIDR, SERVICES, pods), NODE, agent)
			.plan();

		Map<InetAddress, NeighbourConfig> byAddress = new java.util.HashMap<>();
		plan.neighbours().forEach((n) -> byAddress.put(n.address(), n));
		assertThat(plan.routesOf(byAddress.get(InetAddress.getByName("10.0.0.1"))))
			.as("tor1's families select the advertise=bgp advertisements: pod CIDR and service")
			.containsOnlyKeys(Prefix.parse("10.1.0.0/24"), Prefix.parse("172.16.0.100/32"));
		assertThat(plan.routesOf(byAddress.get(InetAddress.getByName("10.0.0.5"))))
			.as("tor2's family selects only advertise=pods, with its attributes")
			.containsExactly(Map.entry(Prefix.parse("10.1.0.0/24"), new RouteAttributes(null, 120L, List.of())));
		assertThat(plan.routesOf(byAddress.get(InetAddress.getByName("10.0.0.9"))))
			.as("tor3 has no peer config, so no family selects anything, as upstream")
			.isEmpty();
		assertThat(plan.routes()).as("every route some peer gets")
			.containsOnlyKeys(Prefix.parse("10.1.0.0/24"), Prefix.parse("172.16.0.100/32"));
	}

	@Test
	void aPeerWithoutPeerConfigGetsUpstreamsDefaultsAndAdvertisesNothing() throws Exception {
		CiliumBGPNodeConfig config = nodeConfig("""
				  - name: i
				    localASN: 4200000000
				    peers:
				    - {name: tor1, peerASN: 65100, peerAddress: "fd00:10::1"}
				""");

		SpeakerPlan plan = NodeConfigTranslator.translate(config, List.of(), List.of(POD_CIDR), NODE).plan();

		assertThat(plan.neighbours())
			.containsExactly(new NeighbourConfig(InetAddress.getByName("fd00:10::1"), 179, 65100, false, 90, 120,
					Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST), 0, null, 1, null));
		assertThat(plan.routes()).isEmpty();
		assertThat(plan.speaker().routerId()).as("the node's IPv4 InternalIP, as upstream")
			.isEqualTo(InetAddress.getByName("172.18.0.3"));
		assertThat(plan.speaker().listenAddress()).as("no localPort: upstream does not listen").isNull();
	}

	@Test
	void peersTheSpeakerCannotRunAsAskedAreLeftOutWithAReasonAndTheOthersRun() {
		CiliumBGPPeerConfig withSecret = read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPPeerConfig
				metadata: {name: with-secret}
				spec: {authSecretRef: bgp-auth-secret}
				""", CiliumBGPPeerConfig.class);
		CiliumBGPNodeConfig config = nodeConfig("""
				  - name: i
				    localASN: 65000
				    peers:
				    - name: discovered
				      peerASN: 65100
				      autoDiscovery: {mode: DefaultGateway, defaultGateway: {addressFamily: ipv4}}
				    - {name: any-as, peerASN: 0, peerAddress: 10.0.0.3}
				    - {name: md5, peerASN: 65100, peerAddress: 10.0.0.4, peerConfigRef: {name: with-secret}}
				    - {name: missing-config, peerASN: 65100, peerAddress: 10.0.0.5, peerConfigRef: {name: nope}}
				""");

		NodeConfigTranslation translation = NodeConfigTranslator.translate(config, List.of(withSecret), List.of(),
				NODE);

		assertThat(translation.plan().neighbours()).extracting(NeighbourConfig::name).containsExactly("10.0.0.5");
		assertThat(translation.notices()).containsExactly(
				"peer discovered left out: it has no peerAddress, and autoDiscovery is not supported yet",
				"peer any-as left out: peerASN 0 (learn the AS from the OPEN) is not supported yet; set peerASN",
				"peer md5 left out: its TCP MD5 password (authSecretRef bgp-auth-secret): no Secrets are read in "
						+ "this mode",
				"peer missing-config: CiliumBGPPeerConfig nope does not exist, running the peer with the defaults");
	}

	@Test
	void serviceAdvertisementsNeedTheAgentsNodeState() {
		NodeConfigTranslation translation = NodeConfigTranslator.translate(tor1(), List.of(PEER_CONFIG),
				List.of(SERVICES), NODE);

		assertThat(translation.plan().routes()).isEmpty();
		assertThat(translation.notices()).containsExactly("CiliumBGPAdvertisement services: Service advertisements "
				+ "need the local agent's node state (set bgp.agent-address) and none has been received yet");
	}

	@Test
	void selectedServiceAddressesTheAgentServesBecomeHostRoutesOfTheirFamily() {
		NodeState agent = NodeState.newBuilder()
			.addPodCidrs("10.9.0.0/24")
			.addLoadBalancerIps(served("web", "172.16.0.1", "LoadBalancerIP", Map.of("announce", "bgp"), false, false))
			.addLoadBalancerIps(served("web", "2001:db8::1", "LoadBalancerIP", Map.of("announce", "bgp"), false, false))
			.addLoadBalancerIps(served("web", "172.16.0.2", "ExternalIP", Map.of("announce", "bgp"), false, false))
			.addLoadBalancerIps(served("quiet", "172.16.0.3", "LoadBalancerIP", Map.of(), false, false))
			.addLoadBalancerIps(served("local", "172.16.0.4", "LoadBalancerIP", Map.of("announce", "bgp"), true, false))
			.addLoadBalancerIps(served("local", "172.16.0.5", "LoadBalancerIP", Map.of("announce", "bgp"), true, true))
			.build();

		NodeConfigTranslation translation = NodeConfigTranslator.translate(tor1(), List.of(PEER_CONFIG),
				List.of(SERVICES, POD_CIDR), NODE, agent);

		RouteAttributes community = new RouteAttributes(null, null, List.of(RouteAttributes.community("65000:7")));
		assertThat(translation.plan().routes()).as("the agent's pod CIDR, not the CiliumNode's")
			.containsOnlyKeys(Prefix.parse("10.9.0.0/24"), Prefix.parse("172.16.0.1/32"),
					Prefix.parse("2001:db8::1/128"), Prefix.parse("172.16.0.5/32"))
			.containsEntry(Prefix.parse("172.16.0.1/32"), community)
			.containsEntry(Prefix.parse("2001:db8::1/128"), community);
		assertThat(translation.notices()).isEmpty();
	}

	private static ServedLoadBalancerIp served(String name, String ip, String kind, Map<String, String> labels,
			boolean local, boolean localBackends) {
		return ServedLoadBalancerIp.newBuilder()
			.setServiceNamespace("default")
			.setServiceName(name)
			.setIp(ip)
			.setKind(kind)
			.putAllServiceLabels(labels)
			.setExternalTrafficPolicyLocal(local)
			.setLocalBackends(localBackends)
			.build();
	}

	private static CiliumBGPNodeConfig tor1() {
		return nodeConfig("""
				  - name: i
				    localASN: 65000
				    peers:
				    - {name: tor1, peerASN: 65100, peerAddress: 10.0.0.1, peerConfigRef: {name: cilium-peer}}
				""");
	}

	@Test
	void configsTheSpeakerCannotRunAreRejectedSayingWhatToChange() {
		assertThatExceptionOfType(NodeConfigException.class)
			.isThrownBy(() -> NodeConfigTranslator.translate(nodeConfig("""
					  - {name: a, localASN: 65000}
					  - {name: b, localASN: 65001}
					"""), List.of(), List.of(), NODE))
			.withMessage(
					"CiliumBGPNodeConfig worker-1 has 2 entries in spec.bgpInstances; this speaker runs exactly one");
		assertThatExceptionOfType(NodeConfigException.class)
			.isThrownBy(() -> NodeConfigTranslator.translate(nodeConfig("""
					  - {name: a, localASN: 65000}
					"""), List.of(), List.of(), null))
			.withMessage("CiliumBGPNodeConfig worker-1 has no routerID and the node has no IPv4 InternalIP to take "
					+ "one from: set routerID in a CiliumBGPNodeConfigOverride named worker-1");
		assertThatExceptionOfType(NodeConfigException.class)
			.isThrownBy(() -> NodeConfigTranslator.translate(nodeConfig("""
					  - {name: a, localASN: 65000, routerID: "fd00::1"}
					"""), List.of(), List.of(), NODE))
			.withMessage("CiliumBGPNodeConfig worker-1 routerID fd00::1 must be an IPv4 address");
		assertThatExceptionOfType(NodeConfigException.class)
			.isThrownBy(() -> NodeConfigTranslator.translate(nodeConfig("""
					  - name: a
					    localASN: 65000
					    peers: [{name: tor1, peerASN: 65100, peerAddress: tor1.example}]
					"""), List.of(), List.of(), NODE))
			.withMessage("peer tor1 peerAddress 'tor1.example' is not an IP address");
	}

	private static CiliumBGPNodeConfig nodeConfig(String instances) {
		return read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPNodeConfig
				metadata: {name: worker-1}
				spec:
				  bgpInstances:
				""" + instances, CiliumBGPNodeConfig.class);
	}

	private static <T> T read(String yaml, Class<T> type) {
		return YAML.unmarshal(yaml, type);
	}

}
