package io.jcilium.bgp.nodeconfig;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.ServedLoadBalancerIp;
import io.jcilium.api.crd.v2.CiliumBGPAdvertisement;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.Prefix;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which service addresses a v2 {@code Service} advertisement sends, as upstream's BGP
 * service reconciler: ClusterIPs under {@code internalTrafficPolicy}, aggregation
 * ({@code aggregationLengthIPv4}/{@code IPv6}) except for addresses under a {@code Local}
 * traffic policy, and {@code loadBalancerClass}.
 */
class ServiceAdvertisementsTest {

	private static final KubernetesSerialization YAML = new KubernetesSerialization();

	private static final CiliumNode NODE = read("""
			apiVersion: cilium.io/v2
			kind: CiliumNode
			metadata: {name: worker-1}
			spec:
			  addresses: [{type: InternalIP, ip: 172.18.0.3}]
			""", CiliumNode.class);

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

	private static final CiliumBGPPeerConfig PEER_CONFIG = read("""
			apiVersion: cilium.io/v2
			kind: CiliumBGPPeerConfig
			metadata: {name: cilium-peer}
			spec:
			  families:
			  - {afi: ipv4, safi: unicast, advertisements: {matchLabels: {advertise: bgp}}}
			  - {afi: ipv6, safi: unicast, advertisements: {matchLabels: {advertise: bgp}}}
			""", CiliumBGPPeerConfig.class);

	/** Upstream's documented aggregation example: 24 and 120. */
	private static final String AGGREGATED = "aggregationLengthIPv4: 24, aggregationLengthIPv6: 120, ";

	private static final NodeState AGENT = NodeState.newBuilder()
		.addLoadBalancerIps(served("web", "10.96.0.10", "ClusterIP").build())
		.addLoadBalancerIps(served("web", "10.96.0.77", "ClusterIP").build())
		.addLoadBalancerIps(served("web", "fd00:96::10", "ClusterIP").build())
		.addLoadBalancerIps(served("web", "172.16.0.1", "LoadBalancerIP").build())
		.addLoadBalancerIps(served("web", "172.16.0.2", "ExternalIP").build())
		.addLoadBalancerIps(served("itp", "10.96.1.10", "ClusterIP").setInternalTrafficPolicyLocal(true).build())
		.addLoadBalancerIps(served("itp-here", "10.96.2.10", "ClusterIP").setInternalTrafficPolicyLocal(true)
			.setLocalBackends(true)
			.build())
		.addLoadBalancerIps(served("etp-here", "172.16.3.1", "LoadBalancerIP").setExternalTrafficPolicyLocal(true)
			.setLocalBackends(true)
			.build())
		.addLoadBalancerIps(served("etp-here", "10.96.3.10", "ClusterIP").setExternalTrafficPolicyLocal(true).build())
		.addLoadBalancerIps(
				served("ours", "172.16.4.1", "LoadBalancerIP").setLoadBalancerClass("io.cilium/bgp-control-plane")
					.build())
		.addLoadBalancerIps(
				served("theirs", "172.16.5.1", "LoadBalancerIP").setLoadBalancerClass("metallb.io/metallb").build())
		.addLoadBalancerIps(
				served("theirs", "172.16.5.2", "ExternalIP").setLoadBalancerClass("metallb.io/metallb").build())
		.build();

	@Test
	void clusterIpsAreHostRoutesAndAnInternalLocalOneOnlyWhereItHasABackend() {
		assertThat(routes("[ClusterIP]", "")).containsOnlyKeys(Prefix.parse("10.96.0.10/32"),
				Prefix.parse("10.96.0.77/32"), Prefix.parse("fd00:96::10/128"), Prefix.parse("10.96.2.10/32"),
				Prefix.parse("10.96.3.10/32"));
	}

	@Test
	void aggregationJoinsAddressesIntoOnePrefixButNotThoseUnderALocalPolicy() {
		assertThat(routes("[ClusterIP, LoadBalancerIP]", AGGREGATED))
			.as("upstream: a Local traffic policy ignores "
					+ "the aggregation, so no router sends a node traffic for a neighbour's addresses")
			.containsOnlyKeys(Prefix.parse("10.96.0.0/24"), Prefix.parse("fd00:96::/120"),
					Prefix.parse("172.16.0.0/24"), Prefix.parse("10.96.2.10/32"), Prefix.parse("172.16.3.1/32"),
					Prefix.parse("10.96.3.0/24"), Prefix.parse("172.16.4.0/24"));
	}

	@Test
	void aLoadBalancerIpOfAnotherLoadBalancerClassIsLeftToItsAnnouncer() {
		assertThat(routes("[LoadBalancerIP, ExternalIP]", "")).as("the class governs LoadBalancer IPs only")
			.containsOnlyKeys(Prefix.parse("172.16.0.1/32"), Prefix.parse("172.16.0.2/32"),
					Prefix.parse("172.16.3.1/32"), Prefix.parse("172.16.4.1/32"), Prefix.parse("172.16.5.2/32"));
	}

	@Test
	void anAggregationLengthOutOfUpstreamsRangeIsRejectedNamingIt() {
		assertThatExceptionOfType(NodeConfigException.class)
			.isThrownBy(() -> routes("[ClusterIP]", "aggregationLengthIPv4: 32, "))
			.withMessage("CiliumBGPAdvertisement services: service.aggregationLengthIPv4 32 is out of 0-31");
		assertThatExceptionOfType(NodeConfigException.class)
			.isThrownBy(() -> routes("[ClusterIP]", "aggregationLengthIPv6: -1, "))
			.withMessage("CiliumBGPAdvertisement services: service.aggregationLengthIPv6 -1 is out of 0-127");
	}

	@Test
	void anUnknownAddressTypeIsReported() {
		NodeConfigTranslation translation = NodeConfigTranslator.translate(NODE_CONFIG, List.of(PEER_CONFIG),
				List.of(advertisement("[NodePort]", "")), NODE, AGENT);
		assertThat(translation.plan().routes()).isEmpty();
		assertThat(translation.notices()).containsExactly("CiliumBGPAdvertisement services: service address type "
				+ "NodePort is unknown; use one of [LoadBalancerIP, ExternalIP, ClusterIP]");
	}

	private static Map<Prefix, RouteAttributes> routes(String addresses, String aggregation) {
		NodeConfigTranslation translation = NodeConfigTranslator.translate(NODE_CONFIG, List.of(PEER_CONFIG),
				List.of(advertisement(addresses, aggregation)), NODE, AGENT);
		assertThat(translation.notices()).isEmpty();
		return translation.plan().routes();
	}

	private static CiliumBGPAdvertisement advertisement(String addresses, String aggregation) {
		return read("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPAdvertisement
				metadata:
				  name: services
				  labels: {advertise: bgp}
				spec:
				  advertisements:
				  - advertisementType: Service
				    service: {%saddresses: %s}
				    selector: {matchExpressions: [{key: io.kubernetes.service.namespace, operator: In, values: [shop]}]}
				""".formatted(aggregation, addresses), CiliumBGPAdvertisement.class);
	}

	private static ServedLoadBalancerIp.Builder served(String name, String ip, String kind) {
		return ServedLoadBalancerIp.newBuilder()
			.setServiceNamespace("shop")
			.setServiceName(name)
			.setIp(ip)
			.setKind(kind);
	}

	private static <T> T read(String yaml, Class<T> type) {
		return YAML.unmarshal(yaml, type);
	}

}
