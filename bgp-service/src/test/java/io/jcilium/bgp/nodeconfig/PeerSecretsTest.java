package io.jcilium.bgp.nodeconfig;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.wire.AddressFamily;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer config's TCP MD5 password ({@code authSecretRef}) and TTL ({@code ebgpMultihop})
 * as upstream applies them: the password from the Secret it names, or the peer left out
 * rather than run unsigned; TTL 1 for eBGP unless multihop says more, the system's for
 * iBGP.
 */
class PeerSecretsTest {

	private static final KubernetesSerialization YAML = new KubernetesSerialization();

	private static final PeerPasswords SECRETS = (name) -> "bgp-auth".equals(name) ? PeerPasswords.Lookup.of("s3cret")
			: PeerPasswords.Lookup.problem("Secret kube-system/" + name + " does not exist");

	@Test
	void thePasswordComesFromTheNamedSecretAndTheTtlFromEbgpMultihop() throws Exception {
		NodeConfigTranslation translation = translate("{authSecretRef: bgp-auth, ebgpMultihop: 4}", 65100);
		assertThat(translation.notices()).isEmpty();
		assertThat(translation.plan().neighbours())
			.containsExactly(new NeighbourConfig(InetAddress.getByName("10.0.0.1"), 179, 65100, false, 90, 120,
					Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST), 0, null, 4, "s3cret"));
		assertThat(translation.plan().neighbours().get(0).toString()).as("no password in logs")
			.doesNotContain("s3cret");
	}

	@Test
	void ebgpIsSingleHopByDefaultAndIbgpKeepsTheSystemsTtl() {
		assertThat(translate("{}", 65100).plan().neighbours().get(0).ttl()).isEqualTo(1);
		assertThat(translate("{ebgpMultihop: 1}", 65100).plan().neighbours().get(0).ttl()).isEqualTo(1);
		assertThat(translate("{}", 65000).plan().neighbours().get(0).ttl()).isZero();
	}

	@Test
	void aPeerWhosePasswordCannotBeHadIsLeftOutSayingWhy() {
		NodeConfigTranslation missing = translate("{authSecretRef: nope}", 65100);
		assertThat(missing.plan().neighbours()).isEmpty();
		assertThat(missing.notices()).containsExactly(
				"peer tor1 left out: its TCP MD5 password (authSecretRef nope): Secret kube-system/nope does not exist");
		NodeConfigTranslation outOfRange = translate("{ebgpMultihop: 256}", 65100);
		assertThat(outOfRange.plan().neighbours()).isEmpty();
		assertThat(outOfRange.notices()).containsExactly("peer tor1 left out: ebgpMultihop 256 is out of 1-255");
	}

	private static NodeConfigTranslation translate(String peerConfigSpec, long peerAsn) {
		CiliumBGPNodeConfig nodeConfig = YAML.unmarshal("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPNodeConfig
				metadata: {name: worker-1}
				spec:
				  bgpInstances:
				  - name: i
				    localASN: 65000
				    routerID: 10.0.0.2
				    peers:
				    - {name: tor1, peerASN: %d, peerAddress: 10.0.0.1, peerConfigRef: {name: p}}
				""".formatted(peerAsn), CiliumBGPNodeConfig.class);
		CiliumBGPPeerConfig peerConfig = YAML.unmarshal("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPPeerConfig
				metadata: {name: p}
				spec: %s
				""".formatted(peerConfigSpec), CiliumBGPPeerConfig.class);
		return NodeConfigTranslator.translate(nodeConfig, List.of(peerConfig), List.of(), null, null, SECRETS);
	}

}
