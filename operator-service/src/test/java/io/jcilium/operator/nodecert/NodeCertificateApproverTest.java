package io.jcilium.operator.nodecert;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpecBuilder;
import io.jcilium.api.tls.node.CertificateRequests;
import io.jcilium.api.tls.node.NodeCertificates;
import io.jcilium.api.tls.node.SubjectAlternativeNames;
import io.jcilium.operator.nodecert.NodeCertificateApprover.Decision;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The approver's rules: a node certificate only for an agent pod's request for its own
 * node, with a P-256 key and exactly the node's names; every refusal says why.
 */
class NodeCertificateApproverTest {

	private static final String AGENT_USER = "system:serviceaccount:kube-system:jcilium-agent";

	private final NodeCertificateApprover approver = new NodeCertificateApprover("kube-system", "jcilium-agent",
			"default", List.of("localhost"), List.of("127.0.0.1"));

	private final Map<String, Pod> pods = Map.of("agent-a", pod("agent-a", "node-a", "jcilium-agent"), "agent-b",
			pod("agent-b", "node-b", "jcilium-agent"), "other-a", pod("other-a", "node-a", "default"));

	private final Map<String, Node> nodes = Map.of("node-a", node("node-a", "192.0.2.1"), "node-b",
			node("node-b", "192.0.2.2"));

	@Test
	void theAgentPodsRequestForItsOwnNodeIsApproved() {
		Decision decision = review(
				spec(AGENT_USER, "agent-a", "node-a", p256(), "node-a", names("node-a", "192.0.2.1")));

		assertThat(decision.approved()).as(decision.message()).isTrue();
		assertThat(decision.reason()).isEqualTo("AgentOnNode");
	}

	@Test
	void aNodeWithAnIpv6InternalIpGetsItsCertificateWhateverTheTextForm() {
		// The Node says fd00::5 (RFC 5952); the request carries the address as 16 bytes.
		Map<String, Node> dualStack = Map.of("node-a", node("node-a", "192.0.2.1", "fd00::5"));
		SubjectAlternativeNames asked = SubjectAlternativeNames.forNode("node-a", "default",
				List.of("192.0.2.1", "fd00:0:0:0:0:0:0:5"), List.of("localhost"), List.of("127.0.0.1"));

		Decision decision = this.approver.review(spec(AGENT_USER, "agent-a", "node-a", p256(), "node-a", asked),
				this.pods::get, dualStack::get);

		assertThat(decision.approved()).as(decision.message()).isTrue();
	}

	@Test
	void anotherServiceAccountIsDenied() {
		Decision decision = review(spec("system:serviceaccount:default:intruder", "agent-a", "node-a", p256(), "node-a",
				names("node-a", "192.0.2.1")));

		assertDenied(decision, "NotAgentServiceAccount", "system:serviceaccount:default:intruder");
	}

	@Test
	void aUserWhoIsNoServiceAccountIsDenied() {
		Decision decision = review(
				spec("kubernetes-admin", "agent-a", "node-a", p256(), "node-a", names("node-a", "192.0.2.1")));

		assertDenied(decision, "NotAgentServiceAccount", "kubernetes-admin");
	}

	@Test
	void anAgentAskingForAnotherNodeIsDenied() {
		// agent-b's token (on node-b) asks for node-a's certificate.
		Decision decision = review(
				spec(AGENT_USER, "agent-b", "node-b", p256(), "node-a", names("node-a", "192.0.2.1")));

		assertDenied(decision, "NodeMismatch", "runs on node 'node-b'");
	}

	@Test
	void aTokenWhosePodRunsElsewhereIsDenied() {
		// The token claims node-a, but pod agent-b runs on node-b.
		Decision decision = review(
				spec(AGENT_USER, "agent-b", "node-a", p256(), "node-a", names("node-a", "192.0.2.1")));

		assertDenied(decision, "NodeMismatch", "agent pod 'agent-b' runs on node 'node-b'");
	}

	@Test
	void aPodOfAnotherServiceAccountOrNoPodIsDenied() {
		assertDenied(review(spec(AGENT_USER, "other-a", "node-a", p256(), "node-a", names("node-a", "192.0.2.1"))),
				"NoAgentPod", "other-a");
		assertDenied(review(spec(AGENT_USER, "gone", "node-a", p256(), "node-a", names("node-a", "192.0.2.1"))),
				"NoAgentPod", "gone");
		assertDenied(review(spec(AGENT_USER, null, null, p256(), "node-a", names("node-a", "192.0.2.1"))), "NoBoundPod",
				"bound ServiceAccount token");
	}

	@Test
	void wrongNamesAreDenied() {
		// An extra name (another node's Hubble name), a missing InternalIP, a foreign IP.
		assertDenied(
				review(spec(AGENT_USER, "agent-a", "node-a", p256(), "node-a",
						new SubjectAlternativeNames(Set.of("node-a.default.hubble-grpc.cilium.io",
								"node-b.default.hubble-grpc.cilium.io", "localhost"),
								Set.of("127.0.0.1", "192.0.2.1")))),
				"WrongNames", "node-b.default.hubble-grpc.cilium.io");
		assertDenied(
				review(spec(AGENT_USER, "agent-a", "node-a", p256(), "node-a", new SubjectAlternativeNames(
						Set.of("node-a.default.hubble-grpc.cilium.io", "localhost"), Set.of("127.0.0.1")))),
				"WrongNames", "gets exactly");
		assertDenied(review(spec(AGENT_USER, "agent-a", "node-a", p256(), "node-a", names("node-a", "10.9.9.9"))),
				"WrongNames", "10.9.9.9");
	}

	@Test
	void aKeyOtherThanP256IsDenied() throws Exception {
		KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
		rsa.initialize(2048);
		KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
		p384.initialize(new ECGenParameterSpec("secp384r1"));

		for (KeyPair key : List.of(rsa.generateKeyPair(), p384.generateKeyPair())) {
			assertDenied(review(spec(AGENT_USER, "agent-a", "node-a", key, "node-a", names("node-a", "192.0.2.1"))),
					"KeyNotP256", "P-256");
		}
	}

	@Test
	void aSubjectThatIsNoNodeAndOtherUsagesAreDenied() {
		assertDenied(review(spec(AGENT_USER, "agent-a", "node-a", p256(), null, names("node-a", "192.0.2.1"))),
				"NotANodeName", "jcilium-operator");
		CertificateSigningRequestSpec signing = spec(AGENT_USER, "agent-a", "node-a", p256(), "node-a",
				names("node-a", "192.0.2.1"));
		signing.setUsages(List.of("client auth", "server auth", "digital signature", "cert sign"));
		assertDenied(review(signing), "WrongUsages", "cert sign");
	}

	private Decision review(CertificateSigningRequestSpec spec) {
		return this.approver.review(spec, this.pods::get, this.nodes::get);
	}

	private static void assertDenied(Decision decision, String reason, String messagePart) {
		assertThat(decision.approved()).isFalse();
		assertThat(decision.reason()).isEqualTo(reason);
		assertThat(decision.message()).contains(messagePart);
	}

	/** A request as the API server stores it; a null node asks as the operator. */
	private static CertificateSigningRequestSpec spec(String user, String podName, String tokenNode, KeyPair key,
			String node, SubjectAlternativeNames names) {
		String commonName = (node != null) ? NodeCertificates.commonName(node) : "jcilium-operator";
		String pem = CertificateRequests.encode(key, commonName, names);
		CertificateSigningRequestSpecBuilder spec = new CertificateSigningRequestSpecBuilder()
			.withSignerName(NodeCertificates.SIGNER_NAME)
			.withUsername(user)
			.withUsages(NodeCertificates.USAGES)
			.withRequest(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));
		if (podName != null) {
			spec.addToExtra(NodeCertificates.POD_NAME_EXTRA, List.of(podName));
			spec.addToExtra(NodeCertificates.NODE_NAME_EXTRA, List.of(tokenNode));
		}
		return spec.build();
	}

	private static SubjectAlternativeNames names(String node, String internalIp) {
		return SubjectAlternativeNames.forNode(node, "default", List.of(internalIp), List.of("localhost"),
				List.of("127.0.0.1"));
	}

	private static KeyPair p256() {
		return CertificateRequests.newNodeKey();
	}

	private static Pod pod(String name, String node, String serviceAccount) {
		return new PodBuilder().withNewMetadata()
			.withName(name)
			.withNamespace("kube-system")
			.withUid(name + "-uid")
			.endMetadata()
			.withNewSpec()
			.withNodeName(node)
			.withServiceAccountName(serviceAccount)
			.endSpec()
			.build();
	}

	private static Node node(String name, String... internalIps) {
		NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
		for (String internalIp : internalIps) {
			node.editOrNewStatus()
				.addNewAddress()
				.withType("InternalIP")
				.withAddress(internalIp)
				.endAddress()
				.endStatus();
		}
		return node.build();
	}

}
