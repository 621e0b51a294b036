package io.jcilium.helm;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * mTLS in the chart (issue 17 point 1): on by default, each service mounts its own
 * certificate from a Secret the chart generates and reads it as a reloading SSL bundle,
 * every gRPC server requires client certificates, every client names the bundle; only
 * {@code global.tls.enabled=false} renders plaintext. (That each rendered setting is one
 * the service reads is {@link ChartSettingsTest}'s check, which runs on these defaults.)
 */
class MutualTlsChartTest {

	private static final String MOUNT = "/etc/jcilium/grpc-tls";

	private static RenderedChart chart;

	@BeforeAll
	static void render() {
		chart = RenderedChart.render(Map.of("bgpControlPlane.enabled", true));
	}

	@ParameterizedTest(name = "{0} reads its certificate from {1} as a reloading bundle")
	@CsvSource({ "agent, DaemonSet", "operator, Deployment", "identity, Deployment", "ipam, Deployment",
			"bgp, DaemonSet", "relay, Deployment" })
	void everyServiceMountsItsCertificateAndReadsItAsAReloadingBundle(String service, String kind) {
		Map<String, Object> settings = ChartSettingsTest.flatten(ServiceConfig.of(chart, service));
		// An agent's own key and certificate are per node, in its state directory.
		String keystore = "agent".equals(service) ? settings.get("jcilium.agent.state-dir") + "/node-certificate"
				: MOUNT;
		assertThat(settings).containsEntry("spring.ssl.bundle.pem.grpc.reload-on-update", true)
			.containsEntry("spring.ssl.bundle.pem.grpc.keystore.certificate", "file:" + keystore + "/tls.crt")
			.containsEntry("spring.ssl.bundle.pem.grpc.keystore.private-key", "file:" + keystore + "/tls.key")
			.containsEntry("spring.ssl.bundle.pem.grpc.truststore.certificate", "file:" + MOUNT + "/ca.crt");

		Map<String, Object> pod = YamlPath.map(chart.get(kind, "jcilium-" + service), "spec.template.spec");
		Map<String, Object> volume = YamlPath.named(YamlPath.list(pod, "volumes"), "grpc-tls");
		assertThat(YamlPath.at(volume, "secret.secretName")).isEqualTo("jcilium-" + service + "-tls");
		Map<String, Object> container = YamlPath.list(pod, "containers").get(0);
		assertThat(YamlPath.named(YamlPath.list(container, "volumeMounts"), "grpc-tls")).containsEntry("mountPath",
				MOUNT);
	}

	@Test
	void everyServerRequiresClientCertificatesAndEveryClientNamesTheBundle() {
		for (String server : List.of("agent", "identity", "ipam", "relay")) {
			assertThat(ChartSettingsTest.flatten(ServiceConfig.of(chart, server))).as(server)
				.containsEntry("spring.grpc.server.ssl.bundle", "grpc")
				.containsEntry("spring.grpc.server.ssl.client-auth", "require");
		}
		assertThat(ChartSettingsTest.flatten(ServiceConfig.of(chart, "agent")))
			.containsEntry("jcilium.agent.identity.ssl-bundle", "grpc")
			.containsEntry("jcilium.agent.hubble.peer.tls", true);
		assertThat(ChartSettingsTest.flatten(ServiceConfig.of(chart, "operator")))
			.containsEntry("spring.grpc.client.default-channel.ssl.bundle", "grpc")
			.containsEntry("spring.grpc.client.channels.identity.ssl.bundle", "grpc")
			.containsEntry("spring.grpc.client.channels.ipam.ssl.bundle", "grpc");
		assertThat(ChartSettingsTest.flatten(ServiceConfig.of(chart, "relay")))
			.containsEntry("jcilium.relay.pool.ssl-bundle", "grpc")
			.containsEntry("spring.grpc.client.channels.hubble-peer.ssl.bundle", "grpc");
		assertThat(ChartSettingsTest.flatten(ServiceConfig.of(chart, "bgp"))).containsEntry("bgp.agent-ssl-bundle",
				"grpc");
	}

	@Test
	void theGeneratedCertificatesChainToOneCaAndNameWhatTheirPeersCheck() throws Exception {
		X509Certificate ca = certificate(chart.get("Secret", "jcilium-ca"), "ca.crt");
		assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
		// The agents' certificates are per node by default (below).
		Map<String, String> commonNames = Map.of("operator", "jcilium-operator", "identity", "identity-service", "ipam",
				"ipam-service", "relay", "hubble-relay", "bgp", "jcilium-bgp", "console", "jcilium-console");
		for (Map.Entry<String, String> component : commonNames.entrySet()) {
			Map<String, Object> secret = chart.get("Secret", "jcilium-" + component.getKey() + "-tls");
			X509Certificate leaf = certificate(secret, "tls.crt");
			leaf.verify(ca.getPublicKey());
			assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + component.getValue());
			assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
			assertThat(certificate(secret, "ca.crt")).isEqualTo(ca);
			assertThat(YamlPath.map(secret, "data")).containsKey("tls.key");
		}
		assertThat(names(certificate(chart.get("Secret", "jcilium-identity-tls"), "tls.crt")))
			.contains("jcilium-identity", "jcilium-identity.kube-system.svc.cluster.local");
		assertThat(names(certificate(chart.get("Secret", "jcilium-ipam-tls"), "tls.crt"))).contains("jcilium-ipam");
	}

	@Test
	void agentsGetPerNodeCertificatesByDefaultAndTheOperatorSignsExactlyWhatTheyAskFor() throws Exception {
		// No agent certificate is issued: the agents' Secret carries only the CA.
		Map<String, Object> agentSecret = chart.get("Secret", "jcilium-agent-tls");
		assertThat(YamlPath.map(agentSecret, "data")).containsOnlyKeys("ca.crt");
		assertThat(certificate(agentSecret, "ca.crt"))
			.isEqualTo(certificate(chart.get("Secret", "jcilium-ca"), "ca.crt"));
		Map<String, Object> volume = YamlPath
			.named(YamlPath.list(chart.get("DaemonSet", "jcilium-agent"), "spec.template.spec.volumes"), "grpc-tls");
		assertThat(YamlPath.list(volume, "secret.items")).extracting((item) -> item.get("key"))
			.containsExactly("ca.crt");

		Map<String, Object> agent = ChartSettingsTest.flatten(ServiceConfig.of(chart, "agent"));
		String stateDir = (String) agent.get("jcilium.agent.state-dir");
		assertThat(agent).containsEntry("jcilium.agent.node-certificate.enabled", true)
			.containsEntry("jcilium.agent.node-certificate.directory", stateDir + "/node-certificate")
			.containsEntry("spring.ssl.bundle.pem.grpc.keystore.certificate",
					"file:" + stateDir + "/node-certificate/tls.crt")
			.containsEntry("spring.ssl.bundle.pem.grpc.keystore.private-key",
					"file:" + stateDir + "/node-certificate/tls.key")
			.containsEntry("spring.ssl.bundle.pem.grpc.truststore.certificate", "file:" + MOUNT + "/ca.crt")
			.containsEntry("spring.ssl.bundle.pem.grpc.reload-on-update", true);

		Map<String, Object> operatorConfig = ServiceConfig.of(chart, "operator");
		Map<String, Object> operator = ChartSettingsTest.flatten(operatorConfig);
		assertThat(operator).containsEntry("jcilium.operator.node-certificates.enabled", true)
			.containsEntry("jcilium.operator.node-certificates.agent-namespace", "kube-system")
			.containsEntry("jcilium.operator.node-certificates.ca-secret-name", "jcilium-ca")
			.containsEntry("jcilium.operator.node-certificates.ca-secret-namespace", "kube-system")
			.containsEntry("jcilium.operator.node-certificates.validity-hours", 24);
		// The requester is the agents' ServiceAccount, the names every agent asks for are
		// the ones the operator expects.
		assertThat(operator.get("jcilium.operator.node-certificates.agent-service-account"))
			.isEqualTo(YamlPath.at(chart.get("DaemonSet", "jcilium-agent"), "spec.template.spec.serviceAccountName"));
		Map<String, Object> agentConfig = ServiceConfig.of(chart, "agent");
		for (String list : List.of("common-dns-names", "common-ip-addresses")) {
			assertThat(YamlPath.at(operatorConfig, "jcilium.operator.node-certificates." + list)).as(list)
				.isEqualTo(YamlPath.at(agentConfig, "jcilium.agent.node-certificate." + list));
		}
		assertThat(YamlPath.strings(agentConfig, "jcilium.agent.node-certificate.common-dns-names"))
			.contains("localhost", "jcilium-hubble-peer", "jcilium-hubble-peer.kube-system.svc");
	}

	// Issue 17: the operator assumed <release>-agent, so an agent running under another
	// ServiceAccount had every node certificate request denied.
	@Test
	void theOperatorApprovesTheServiceAccountTheAgentsRunAs() {
		RenderedChart renamed = RenderedChart.render(Map.of("global.agentServiceAccountName", "node-agents"));

		assertThat(renamed.names("ServiceAccount")).contains("node-agents").doesNotContain("jcilium-agent");
		assertThat(YamlPath.at(renamed.get("DaemonSet", "jcilium-agent"), "spec.template.spec.serviceAccountName"))
			.isEqualTo("node-agents");
		assertThat(YamlPath.list(renamed.get("ClusterRoleBinding", "jcilium-agent"), "subjects"))
			.extracting((subject) -> subject.get("name"))
			.containsExactly("node-agents");
		assertThat(ChartSettingsTest.flatten(ServiceConfig.of(renamed, "operator")))
			.containsEntry("jcilium.operator.node-certificates.agent-service-account", "node-agents");

		assertThatIllegalStateException()
			.isThrownBy(() -> RenderedChart.render(Map.of("agent.serviceAccount.name", "other")))
			.withMessageContaining("agent.serviceAccount.name is replaced by global.agentServiceAccountName");
	}

	@Test
	void theSharedAgentCertificateOnlyWhenChosen() throws Exception {
		RenderedChart shared = RenderedChart.render(Map.of("global.tls.agentCertificates", "shared"));

		X509Certificate agent = certificate(shared.get("Secret", "jcilium-agent-tls"), "tls.crt");
		assertThat(agent.getSubjectX500Principal().getName()).isEqualTo("CN=jcilium-agent");
		// The relay checks agents against upstream's TLS names, bgp dials 127.0.0.1, the
		// relay's peer channel the hubble-peer Service.
		assertThat(names(agent)).contains("*.default.hubble-grpc.cilium.io", "127.0.0.1", "jcilium-hubble-peer",
				"jcilium-hubble-peer.kube-system.svc");
		assertThat(ChartSettingsTest.flatten(ServiceConfig.of(shared, "agent")))
			.doesNotContainKey("jcilium.agent.node-certificate.enabled")
			.containsEntry("spring.ssl.bundle.pem.grpc.keystore.certificate", "file:" + MOUNT + "/tls.crt");
		assertThat(ChartSettingsTest.flatten(ServiceConfig.of(shared, "operator")))
			.doesNotContainKey("jcilium.operator.node-certificates.enabled");
		assertThat(shared.names("Role")).doesNotContain("jcilium-operator-ca");

		assertThatIllegalStateException()
			.isThrownBy(() -> RenderedChart.render(Map.of("global.tls.agentCertificates", "perPod")))
			.withMessageContaining("global.tls.agentCertificates 'perPod' is not one of perNode, shared");
	}

	@Test
	void plaintextOnlyWhenSetExplicitly() {
		RenderedChart plaintext = RenderedChart
			.render(Map.of("bgpControlPlane.enabled", true, "global.tls.enabled", false));

		assertThat(plaintext.names("Secret")).noneMatch((name) -> name.endsWith("-tls") || name.equals("jcilium-ca"));
		for (String service : List.of("agent", "operator", "identity", "ipam", "bgp", "relay")) {
			assertThat(ChartSettingsTest.flatten(ServiceConfig.of(plaintext, service))).as(service)
				.doesNotContainKey("spring.grpc.server.ssl.bundle")
				.doesNotContainKey("spring.ssl.bundle.pem.grpc.keystore.certificate")
				// The services default to mTLS: plaintext is set explicitly.
				.containsEntry("jcilium.tls.enabled", false);
		}
	}

	@Test
	void certManagerIssuesTheSameSecretsFromTheGivenIssuer() {
		RenderedChart certManager = RenderedChart.render(Map.of("global.tls.auto.method", "certmanager",
				"global.tls.auto.certManagerIssuerRef.name", "cluster-ca", "global.tls.auto.certManagerIssuerRef.kind",
				"ClusterIssuer", "global.tls.agentCertificates", "shared"));

		assertThat(certManager.names("Secret")).noneMatch((name) -> name.endsWith("-tls"));
		Map<String, Object> identity = certManager.get("Certificate", "jcilium-identity-tls");
		assertThat(YamlPath.at(identity, "spec.secretName")).isEqualTo("jcilium-identity-tls");
		assertThat(YamlPath.at(identity, "spec.commonName")).isEqualTo("identity-service");
		assertThat(YamlPath.at(identity, "spec.issuerRef.name")).isEqualTo("cluster-ca");
		assertThat(YamlPath.strings(identity, "spec.usages")).contains("server auth", "client auth");

		assertThatIllegalStateException()
			.isThrownBy(() -> RenderedChart
				.render(Map.of("global.tls.auto.method", "certmanager", "global.tls.agentCertificates", "shared")))
			.withMessageContaining("global.tls.auto.method=certmanager needs global.tls.auto.certManagerIssuerRef");
		// cert-manager's CA key is not the operator's to sign with.
		assertThatIllegalStateException()
			.isThrownBy(() -> RenderedChart.render(Map.of("global.tls.auto.method", "certmanager",
					"global.tls.auto.certManagerIssuerRef.name", "cluster-ca")))
			.withMessageContaining("set global.tls.agentCertificates=shared");
	}

	private static X509Certificate certificate(Map<String, Object> secret, String key) throws Exception {
		byte[] pem = Base64.getDecoder().decode((String) YamlPath.map(secret, "data").get(key));
		return (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(pem));
	}

	private static List<String> names(X509Certificate certificate) throws Exception {
		List<String> names = new ArrayList<>();
		Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
		if (alternatives != null) {
			alternatives.forEach((name) -> names.add(String.valueOf(name.get(1))));
		}
		return names;
	}

}
