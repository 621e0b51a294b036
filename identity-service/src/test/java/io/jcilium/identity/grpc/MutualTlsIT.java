package io.jcilium.identity.grpc;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.api.identity.v1.LookupByLabelsRequest;
import io.jcilium.api.identity.v1.ReleaseRequest;
import io.jcilium.common.label.Labels;
import io.jcilium.identity.client.IdentityClient;
import io.jcilium.identity.client.IdentityClientSettings;
import io.jcilium.identity.testsupport.RunningIdentityService;
import io.jcilium.testsupport.RedisServer;
import io.jcilium.testsupport.TestCertificates;
import io.jcilium.testsupport.TestCertificates.Issued;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * identity-service with mTLS (issue 17 point 1), tried as an attacker would over real TLS
 * connections: the certificate, not what a client declares, says who calls; a client
 * without a certificate of the cluster's CA gets nothing done.
 */
class MutualTlsIT {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static TestCertificates authority;

	private static TestCertificates strangerAuthority;

	private static RunningIdentityService service;

	@BeforeAll
	static void startService() {
		authority = TestCertificates.newAuthority("jcilium-test-ca");
		strangerAuthority = TestCertificates.newAuthority("stranger-ca");
		Issued server = authority.issue("identity-service");
		String bundle = "spring.ssl.bundle.pem.identity-grpc.";
		service = RunningIdentityService.start(redisServer.port(),
				bundle + "keystore.certificate=file:" + server.certificate(),
				bundle + "keystore.private-key=file:" + server.privateKey(),
				bundle + "truststore.certificate=file:" + authority.caCertificate(),
				"spring.grpc.server.ssl.bundle=identity-grpc", "spring.grpc.server.ssl.client-auth=require");
	}

	@AfterAll
	static void stopService() throws InterruptedException {
		if (service != null) {
			service.close();
		}
		if (authority != null) {
			authority.close();
		}
		if (strangerAuthority != null) {
			strangerAuthority.close();
		}
	}

	@Test
	void aClientWithoutACertificateGetsNothingDone() throws Exception {
		ChannelCredentials noCertificate = TlsChannelCredentials.newBuilder()
			.trustManager(authority.caCertificate().toFile())
			.build();
		try (Client anonymous = new Client(noCertificate);
				Client plaintext = new Client(InsecureChannelCredentials.create())) {
			for (Client client : List.of(anonymous, plaintext)) {
				// Declaring itself the operator does not help a client that cannot prove
				// it.
				assertThatThrownBy(() -> client.stub(Caller.operator()).allocate(allocate("node-a", "k8s:app=no-cert")))
					.isInstanceOfSatisfying(StatusRuntimeException.class,
							(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
			}
		}
		assertThat(exists("k8s:app=no-cert")).isFalse();
	}

	@Test
	void aCertificateOfAnotherAuthorityIsRefused() throws Exception {
		try (Client stranger = new Client(credentials(strangerAuthority.issue("system:node:node-a")))) {
			assertThatThrownBy(
					() -> stranger.stub(Caller.node("node-a")).allocate(allocate("node-a", "k8s:app=stranger")))
				.isInstanceOfSatisfying(StatusRuntimeException.class,
						(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
		}
		assertThat(exists("k8s:app=stranger")).isFalse();
	}

	@Test
	void theCertificateNotTheHeaderSaysWhichNodeCalls() throws Exception {
		try (Client nodeA = new Client(credentials(authority.issue("system:node:node-a")));
				Client nodeB = new Client(credentials(authority.issue("system:node:node-b")))) {
			int id = nodeA.stub(null).allocate(allocate("node-a", "k8s:app=held-by-a")).getIdentity().getId();

			// node-b claims to be node-a in the header: refused, naming both.
			assertThatThrownBy(() -> nodeB.stub(Caller.node("node-a")).release(release(id, "node-a")))
				.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
					assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
					assertThat(ex.getStatus().getDescription()).contains("declares node 'node-a'")
						.contains("certificate names node 'node-b'");
				});
			// ... and claims to be the operator: refused too.
			assertThatThrownBy(() -> nodeB.stub(Caller.operator()).release(release(id, "node-a")))
				.isInstanceOfSatisfying(StatusRuntimeException.class,
						(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
			// Without a header, the certificate's node may not act for node-a.
			assertThatThrownBy(() -> nodeB.stub(null).release(release(id, "node-a")))
				.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
					assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
					assertThat(ex.getStatus().getDescription()).contains("not to node 'node-b'");
				});

			// node-a's reference survived: node-a itself drops it.
			assertThat(nodeA.stub(null).release(release(id, "node-a")).getReleased()).isTrue();
		}
	}

	@Test
	void theOperatorsCertificateActsForNodesAndOtherServicesOnlyRead() throws Exception {
		try (Client operator = new Client(credentials(authority.issue("jcilium-operator")));
				Client relay = new Client(credentials(authority.issue("hubble-relay")))) {
			int id = operator.stub(null).allocate(allocate("node-c", "k8s:app=by-operator")).getIdentity().getId();

			assertThat(relay.stub(null).list(ListRequest.getDefaultInstance()).getIdentitiesList())
				.anyMatch((identity) -> identity.getId() == id);
			assertThatThrownBy(() -> relay.stub(null).release(release(id, "node-c")))
				.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
					assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
					assertThat(ex.getStatus().getDescription()).contains("not to service 'hubble-relay'");
				});
			assertThat(operator.stub(null).release(release(id, "node-c")).getReleased()).isTrue();
		}
	}

	@Test
	void theAgentsSharedCertificateActsForTheNodeItDeclaresButNeverAsTheOperator() throws Exception {
		try (Client agent = new Client(credentials(authority.issue("jcilium-agent")))) {
			int id = agent.stub(Caller.node("node-e"))
				.allocate(allocate("node-e", "k8s:app=shared-cert"))
				.getIdentity()
				.getId();

			assertThat(agent.stub(Caller.node("node-e")).release(release(id, "node-e")).getReleased()).isTrue();
			assertThatThrownBy(() -> agent.stub(Caller.operator()).release(release(id, "node-e")))
				.isInstanceOfSatisfying(StatusRuntimeException.class,
						(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
			// Declaring nothing, it is a read-only service.
			assertThatThrownBy(() -> agent.stub(null).allocate(allocate("node-e", "k8s:app=shared-cert-2")))
				.isInstanceOfSatisfying(StatusRuntimeException.class,
						(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
		}
	}

	@Test
	void theAgentsClientSpeaksMtlsWithItsNodesCertificate() throws Exception {
		IdentityClientSettings settings = IdentityClientSettings.defaults("localhost:" + service.grpcPort(), "node-d")
			.withTimeouts(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30));
		try (IdentityClient client = IdentityClient.create(settings,
				credentials(authority.issue("system:node:node-d")))) {
			long id = client.allocate(Labels.parse(List.of("k8s:app=agent-over-mtls")));

			assertThat(exists("k8s:app=agent-over-mtls")).isTrue();
			assertThat(client.release(id, "node-d")).isTrue();
		}
	}

	private static boolean exists(String label) throws Exception {
		try (Client operator = new Client(credentials(authority.issue("jcilium-operator")))) {
			operator.stub(null).lookupByLabels(LookupByLabelsRequest.newBuilder().addLabels(label).build());
			return true;
		}
		catch (StatusRuntimeException ex) {
			if (ex.getStatus().getCode() == Status.Code.NOT_FOUND) {
				return false;
			}
			throw ex;
		}
	}

	private static ChannelCredentials credentials(Issued issued) throws IOException {
		return TlsChannelCredentials.newBuilder()
			.keyManager(issued.certificate().toFile(), issued.privateKey().toFile())
			.trustManager(authority.caCertificate().toFile())
			.build();
	}

	private static AllocateRequest allocate(String node, String label) {
		return AllocateRequest.newBuilder().addLabels(label).setNode(node).build();
	}

	private static ReleaseRequest release(int id, String node) {
		return ReleaseRequest.newBuilder().setId(id).setNode(node).build();
	}

	/** A channel to the service with the given credentials. */
	private static final class Client implements AutoCloseable {

		private final ManagedChannel channel;

		Client(ChannelCredentials credentials) {
			this.channel = Grpc.newChannelBuilderForAddress("localhost", service.grpcPort(), credentials).build();
		}

		/** A stub declaring {@code declared} in the header, or nothing when null. */
		IdentityServiceGrpc.IdentityServiceBlockingStub stub(Caller declared) {
			IdentityServiceGrpc.IdentityServiceBlockingStub stub = IdentityServiceGrpc.newBlockingStub(this.channel)
				.withDeadlineAfter(30, TimeUnit.SECONDS);
			if (declared == null) {
				return stub;
			}
			ClientInterceptor header = CallerHeader.declaring(declared);
			return stub.withInterceptors(header);
		}

		@Override
		public void close() throws InterruptedException {
			this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}

	}

}
