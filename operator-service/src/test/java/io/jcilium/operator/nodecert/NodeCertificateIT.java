package io.jcilium.operator.nodecert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.ReleaseRequest;
import io.jcilium.api.tls.node.IssuedCertificate;
import io.jcilium.api.tls.node.NodeCertificateBootstrap;
import io.jcilium.api.tls.node.NodeCertificateException;
import io.jcilium.api.tls.node.NodeCertificateFiles;
import io.jcilium.api.tls.node.NodeCertificateRequester;
import io.jcilium.api.tls.node.NodeCertificates;
import io.jcilium.api.tls.node.SubjectAlternativeNames;
import io.jcilium.operator.k8s.MockApi;
import io.jcilium.operator.k8s.SharedInformers;
import io.jcilium.testsupport.CertificatesApi;
import io.jcilium.testsupport.RedisServer;
import io.jcilium.testsupport.ServiceProcess;
import io.jcilium.testsupport.TestCertificates;
import io.jcilium.testsupport.TestCertificates.Issued;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Per-node certificates end to end (issue 17 point 1): an agent asks the certificates API
 * of the mock API server (with the approval subresource and the requester's identity as a
 * real API server records it, {@link CertificatesApi}), the operator's controller
 * approves and signs with the CA from the chart's Secret, and a real identity-service
 * with mTLS (real Redis) lets that certificate act for its node and for no other.
 */
class NodeCertificateIT {

	private static final String NAMESPACE = "kube-system";

	private static final List<String> COMMON_DNS = List.of("localhost");

	private static final List<String> COMMON_IPS = List.of("127.0.0.1");

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static KubernetesMockServer server;

	private static KubernetesClient admin;

	private static KubernetesClient operatorClient;

	private static TestCertificates authority;

	private static ServiceProcess identityService;

	private static NodeCertificateController controller;

	@TempDir
	Path stateDir;

	@BeforeAll
	static void start() throws IOException {
		server = CertificatesApi.start();
		admin = server.createClient();
		MockApi.warmUp(admin);
		authority = TestCertificates.newAuthority("jcilium-test-ca");
		admin.secrets()
			.inNamespace(NAMESPACE)
			.resource(new SecretBuilder().withNewMetadata()
				.withName("jcilium-ca")
				.endMetadata()
				.addToData("ca.crt", base64(authority.caCertificate()))
				.addToData("ca.key", base64(authority.caPrivateKey()))
				.build())
			.create();
		for (String node : List.of("node-a", "node-b")) {
			admin.nodes()
				.resource(new NodeBuilder().withNewMetadata()
					.withName(node)
					.endMetadata()
					.withNewStatus()
					.addNewAddress()
					.withType("InternalIP")
					.withAddress(internalIp(node))
					.endAddress()
					.endStatus()
					.build())
				.create();
			admin.pods()
				.inNamespace(NAMESPACE)
				.resource(new PodBuilder().withNewMetadata()
					.withName(agentPod(node))
					.endMetadata()
					.withNewSpec()
					.withServiceAccountName("jcilium-agent")
					.withNodeName(node)
					.endSpec()
					.build())
				.create();
		}
		Issued serverCertificate = authority.issue("identity-service");
		String bundle = "--spring.ssl.bundle.pem.identity-grpc.";
		identityService = ServiceProcess.start("identity-service",
				List.of("--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
						bundle + "keystore.certificate=file:" + serverCertificate.certificate(),
						bundle + "keystore.private-key=file:" + serverCertificate.privateKey(),
						bundle + "truststore.certificate=file:" + authority.caCertificate(),
						"--spring.grpc.server.ssl.bundle=identity-grpc",
						"--spring.grpc.server.ssl.client-auth=require"),
				Duration.ofSeconds(120));
		operatorClient = MockApi.operatorClient(admin);
		controller = NodeCertificateController.create(
				operatorClient, new SharedInformers(operatorClient), new NodeCertificateProperties(true, NAMESPACE,
						"jcilium-agent", "jcilium-ca", NAMESPACE, "default", 24, COMMON_DNS, COMMON_IPS, 1),
				Clock.systemUTC());
		controller.startLeading();
	}

	@AfterAll
	static void stop() {
		if (controller != null) {
			controller.stopLeading();
		}
		if (identityService != null) {
			identityService.close();
		}
		if (operatorClient != null) {
			operatorClient.close();
		}
		if (admin != null) {
			admin.close();
		}
		if (server != null) {
			server.destroy();
		}
		if (authority != null) {
			authority.close();
		}
	}

	@Test
	void anAgentGetsItsNodesCertificateAndActsOnlyForItsNode() throws Exception {
		try (KubernetesClient agent = agentClient("node-a")) {
			NodeCertificateFiles files = new NodeCertificateFiles(this.stateDir.resolve("node-certificate"));
			X509Certificate certificate = bootstrap(agent, files, "node-a", Clock.systemUTC()).ensure();

			assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=system:node:node-a");
			assertThat(certificate.getSubjectAlternativeNames()).extracting((name) -> (Object) name.get(1))
				.containsExactlyInAnyOrder("node-a.default.hubble-grpc.cilium.io", "localhost", "127.0.0.1",
						"192.0.2.1");
			Duration validity = Duration.between(certificate.getNotBefore().toInstant(),
					certificate.getNotAfter().toInstant());
			assertThat(validity).isEqualTo(Duration.ofHours(24).plus(ClusterCa.BACKDATE));
			assertThat(certificate.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1",
					"1.3.6.1.5.5.7.3.2");
			CertificateSigningRequest request = onlyRequestOf("node-a");
			assertThat(request.getStatus().getConditions()).singleElement().satisfies((condition) -> {
				assertThat(condition.getType()).isEqualTo("Approved");
				assertThat(condition.getReason()).isEqualTo("AgentOnNode");
			});

			ManagedChannel channel = channel(files);
			try {
				IdentityServiceGrpc.IdentityServiceBlockingStub identity = IdentityServiceGrpc.newBlockingStub(channel)
					.withDeadlineAfter(30, TimeUnit.SECONDS);
				long id = identity.allocate(allocate("node-a", "k8s:app=per-node-cert")).getIdentity().getId();
				// A call for another node: refused over the same connection.
				assertThatThrownBy(() -> identity.allocate(allocate("node-b", "k8s:app=per-node-cert")))
					.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
						assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
						assertThat(ex.getStatus().getDescription()).contains("node 'node-b'")
							.contains("not to node 'node-a'");
					});
				assertThatThrownBy(() -> identity.release(release(id, "node-b"))).isInstanceOfSatisfying(
						StatusRuntimeException.class,
						(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
				assertThat(identity.release(release(id, "node-a")).getReleased()).isTrue();
			}
			finally {
				channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void aRequestForAnotherNodeIsDeniedAndTheAgentSaysWhy() {
		// node-b's agent asks for a certificate naming node-a.
		try (KubernetesClient agentOnB = agentClient("node-b")) {
			NodeCertificateFiles files = new NodeCertificateFiles(this.stateDir.resolve("stolen"));
			NodeCertificateBootstrap bootstrap = new NodeCertificateBootstrap(files,
					new NodeCertificateRequester(agentOnB, Duration.ofMillis(100)), "node-a", () -> names("node-a"),
					Duration.ofSeconds(60), Clock.systemUTC());

			assertThatThrownBy(bootstrap::ensure).isInstanceOf(NodeCertificateException.class)
				.hasMessageContaining("was denied by jcilium.io/node-client: NodeMismatch")
				.hasMessageContaining("runs on node 'node-b' but asks for a certificate naming node 'node-a'")
				.hasMessageNotContaining("\n");
			assertThat(files.current()).isEmpty();
		}
	}

	@Test
	void aRestartReusesItsValidCertificateWithoutTheOperatorAndRenewalReplacesKeyAndCertificate() throws Exception {
		try (KubernetesClient agent = agentClient("node-b")) {
			NodeCertificateFiles files = new NodeCertificateFiles(this.stateDir.resolve("node-certificate"));
			X509Certificate first = bootstrap(agent, files, "node-b", Clock.systemUTC()).ensure();
			int requests = requestsOf("node-b");
			String firstKey = Files.readString(files.privateKey());

			controller.stopLeading();
			try {
				// The restarted agent: same files, no operator. Within the validity it
				// reuses the certificate and asks nothing.
				X509Certificate reused = bootstrap(agent, files, "node-b", Clock.systemUTC()).ensure();
				assertThat(reused.getSerialNumber()).isEqualTo(first.getSerialNumber());
				assertThat(requestsOf("node-b")).isEqualTo(requests);
			}
			finally {
				controller.startLeading();
			}

			// Renewal is due at two thirds of the validity; past the end, a restart asks
			// again, for a new key.
			Instant renewal = IssuedCertificate.renewalTime(first);
			assertThat(Duration.between(first.getNotBefore().toInstant(), renewal))
				.isEqualTo(Duration.between(first.getNotBefore().toInstant(), first.getNotAfter().toInstant())
					.multipliedBy(2)
					.dividedBy(3));
			Clock expired = Clock.fixed(first.getNotAfter().toInstant().plusSeconds(1), ZoneOffset.UTC);
			X509Certificate renewed = bootstrap(agent, files, "node-b", expired).ensure();
			assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
			assertThat(requestsOf("node-b")).isEqualTo(requests + 1);
			assertThat(Files.readString(files.privateKey())).isNotEqualTo(firstKey);
			assertThat(files.current()).get()
				.extracting(X509Certificate::getSerialNumber)
				.isEqualTo(renewed.getSerialNumber());
		}
	}

	private static NodeCertificateBootstrap bootstrap(KubernetesClient agent, NodeCertificateFiles files, String node,
			Clock clock) {
		return new NodeCertificateBootstrap(files, new NodeCertificateRequester(agent, Duration.ofMillis(100)), node,
				() -> names(node), Duration.ofSeconds(60), clock);
	}

	private static SubjectAlternativeNames names(String node) {
		return SubjectAlternativeNames.forNode(node, "default", List.of(internalIp(node)), COMMON_DNS, COMMON_IPS);
	}

	/**
	 * The agent pod's client: its bound ServiceAccount token, which the mock cannot
	 * check, is stood in for by impersonation, from which {@link CertificatesApi} records
	 * the requester as a real API server records it from the token.
	 */
	private static KubernetesClient agentClient(String node) {
		Config config = new io.fabric8.kubernetes.client.ConfigBuilder(admin.getConfiguration()).build();
		config.setImpersonateUsername(NodeCertificates.serviceAccountUser(NAMESPACE, "jcilium-agent"));
		config.setImpersonateExtras(Map.of(header(NodeCertificates.POD_NAME_EXTRA), List.of(agentPod(node)),
				header(NodeCertificates.NODE_NAME_EXTRA), List.of(node)));
		return new KubernetesClientBuilder().withConfig(config).build();
	}

	/** Extra keys travel percent-encoded in header names, as client-go sends them. */
	private static String header(String key) {
		return key.replace("/", "%2F");
	}

	private static CertificateSigningRequest onlyRequestOf(String node) {
		List<CertificateSigningRequest> requests = admin.certificates()
			.v1()
			.certificateSigningRequests()
			.list()
			.getItems()
			.stream()
			.filter((request) -> request.getMetadata().getName().startsWith(NodeCertificates.NAME_PREFIX + node + "-"))
			.filter((request) -> List.of(agentPod(node))
				.equals(request.getSpec().getExtra().get(NodeCertificates.POD_NAME_EXTRA)))
			.toList();
		assertThat(requests).hasSize(1);
		return requests.get(0);
	}

	private static int requestsOf(String node) {
		return (int) admin.certificates()
			.v1()
			.certificateSigningRequests()
			.list()
			.getItems()
			.stream()
			.filter((request) -> request.getMetadata().getName().startsWith(NodeCertificates.NAME_PREFIX + node + "-"))
			.count();
	}

	private static ManagedChannel channel(NodeCertificateFiles files) throws IOException {
		return Grpc
			.newChannelBuilderForAddress("localhost", identityService.grpcPort(),
					TlsChannelCredentials.newBuilder()
						.keyManager(files.certificate().toFile(), files.privateKey().toFile())
						.trustManager(authority.caCertificate().toFile())
						.build())
			.build();
	}

	private static AllocateRequest allocate(String node, String label) {
		return AllocateRequest.newBuilder().setNode(node).addLabels(label).build();
	}

	private static ReleaseRequest release(long id, String node) {
		return ReleaseRequest.newBuilder().setId((int) id).setNode(node).build();
	}

	private static String agentPod(String node) {
		return "jcilium-agent-" + node;
	}

	private static String internalIp(String node) {
		return "node-a".equals(node) ? "192.0.2.1" : "192.0.2.2";
	}

	private static String base64(Path file) throws IOException {
		return Base64.getEncoder().encodeToString(Files.readString(file).getBytes(StandardCharsets.US_ASCII));
	}

}
