package io.jcilium.bgp.config;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;

import io.jcilium.bgp.reconcile.SpeakerPlan;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Lab files of upstream's BGP resources, the example in {@code examples/bgp} included,
 * and the errors that name the field at fault.
 */
class LabPlannerTest {

	@Test
	void theExampleLabFilePlansOneNeighbourAndThePodCidrsWithTheirCommunities() {
		SpeakerPlan plan = LabPlanner.plan(LabFile.read(Path.of("../examples/bgp/lab.yaml")), null);
		assertThat(plan.speaker().localAsn()).isEqualTo(65000);
		assertThat(plan.speaker().routerId().getHostAddress()).isEqualTo("192.0.2.1");
		assertThat(plan.speaker().listenPort()).isEqualTo(179);
		NeighbourConfig tor = plan.neighbours().get(0);
		assertThat(tor.address().getHostAddress()).isEqualTo("192.0.2.2");
		assertThat(tor.peerAsn()).isEqualTo(65001);
		assertThat(tor.connectRetrySeconds()).isEqualTo(5);
		assertThat(tor.gracefulRestartSeconds()).isEqualTo(120);
		assertThat(tor.ttl()).as("eBGP without ebgpMultihop: single hop, as upstream").isEqualTo(1);
		assertThat(tor.families()).containsExactlyInAnyOrder(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST);
		RouteAttributes attributes = new RouteAttributes(null, null, List.of((65000L << 16) | 100, 0xFFFFFF01L));
		assertThat(plan.routes()).containsEntry(Prefix.parse("10.244.1.0/24"), attributes)
			.containsEntry(Prefix.parse("fd00:10:244:1::/64"), attributes)
			.hasSize(2);
	}

	@Test
	void aServiceAdvertisementIsRefusedBecauseLabModeHasNoServices() {
		String file = EXAMPLE_WITHOUT_ADVERTISEMENT + """
				---
				kind: CiliumBGPAdvertisement
				metadata: {name: svc, labels: {advertise: pod-cidr}}
				spec:
				  advertisements:
				  - advertisementType: Service
				""";
		assertRefused(file, "advertisementType Service needs the API server");
	}

	@Test
	void aMissingRouterIdIsRefusedWithWhereToPutIt() {
		assertRefused(EXAMPLE_WITHOUT_ADVERTISEMENT.replace("routerID: 192.0.2.1", "localPort: 179"),
				"spec.bgpInstances[name=i].routerID");
	}

	@Test
	void aPeerAddressThatIsNotAnAddressIsRefusedByItsPath() {
		assertRefused(EXAMPLE_WITHOUT_ADVERTISEMENT.replace("peerAddress: 192.0.2.2", "peerAddress: tor.example"),
				"spec.bgpInstances[0].peers[0].peerAddress: 'tor.example' is not an IP address");
	}

	@Test
	void aPasswordIsRefusedRatherThanRunUnsignedAndMultihopSetsTheTtl() {
		assertRefused(
				EXAMPLE_WITHOUT_ADVERTISEMENT.replace("spec:\n  families:", "spec:\n  authSecretRef: pw\n  families:"),
				"authSecretRef: lab mode reads no Secrets, so it cannot have the TCP MD5 password");
		SpeakerPlan plan = LabPlanner.plan(LabFile.parse(new StringReader(
				EXAMPLE_WITHOUT_ADVERTISEMENT.replace("spec:\n  families:", "spec:\n  ebgpMultihop: 3\n  families:")),
				"lab.yaml"), null);
		assertThat(plan.neighbours().get(0).ttl()).isEqualTo(3);
	}

	@Test
	void anUnsupportedFamilyIsRefused() {
		assertRefused(EXAMPLE_WITHOUT_ADVERTISEMENT.replace("safi: unicast", "safi: multicast"),
				"ipv4/multicast is not supported");
	}

	@Test
	void aBadCommunityIsRefusedByItsPath() {
		String file = EXAMPLE_WITHOUT_ADVERTISEMENT + """
				---
				kind: CiliumBGPAdvertisement
				metadata: {name: pods, labels: {advertise: pod-cidr}}
				spec:
				  advertisements:
				  - advertisementType: PodCIDR
				    attributes: {communities: {standard: ["65000:70000"]}}
				""";
		assertRefused(file, "communities.standard[0]: '65000:70000' is not a standard community");
	}

	private static void assertRefused(String file, String message) {
		assertThatExceptionOfType(LabFileException.class)
			.isThrownBy(() -> LabPlanner.plan(LabFile.parse(new StringReader(file), "lab.yaml"), null))
			.withMessageContaining(message);
	}

	private static final String EXAMPLE_WITHOUT_ADVERTISEMENT = """
			kind: CiliumNode
			metadata: {name: n1}
			spec: {ipam: {podCIDRs: [10.1.0.0/24]}}
			---
			kind: CiliumBGPClusterConfig
			metadata: {name: c}
			spec:
			  bgpInstances:
			  - name: i
			    localASN: 65000
			    peers:
			    - {name: p, peerASN: 65001, peerAddress: 192.0.2.2, peerConfigRef: {name: pc}}
			---
			kind: CiliumBGPPeerConfig
			metadata: {name: pc}
			spec:
			  families:
			  - {afi: ipv4, safi: unicast, advertisements: {matchLabels: {advertise: pod-cidr}}}
			---
			kind: CiliumBGPNodeConfigOverride
			metadata: {name: n1}
			spec:
			  bgpInstances:
			  - name: i
			    routerID: 192.0.2.1
			""";

}
