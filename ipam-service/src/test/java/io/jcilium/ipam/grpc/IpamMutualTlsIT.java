package io.jcilium.ipam.grpc;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.ipam.v1.AllocateNodeCidrsRequest;
import io.jcilium.api.ipam.v1.GetNodeCidrsRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.ipam.v1.IpamServiceGrpc.IpamServiceBlockingStub;
import io.jcilium.api.ipam.v1.ReleaseNodeCidrsRequest;
import io.jcilium.ipam.IpamServiceApplication;
import io.jcilium.testsupport.RedisServer;
import io.jcilium.testsupport.TestCertificates;
import io.jcilium.testsupport.TestCertificates.Issued;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ipam-service with mTLS (issue 17 point 1) over real TLS connections: a node's
 * certificate neither administers nor takes another node's CIDRs, whatever its header
 * claims; the operator's certificate does both; a client without a certificate gets
 * nothing.
 */
class IpamMutualTlsIT {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static TestCertificates authority;

	private static ConfigurableApplicationContext service;

	@BeforeAll
	static void startService() {
		authority = TestCertificates.newAuthority("jcilium-test-ca");
		Issued server = authority.issue("ipam-service");
		String bundle = "--spring.ssl.bundle.pem.ipam-grpc.";
		service = new SpringApplicationBuilder(IpamServiceApplication.class).run("--spring.grpc.server.port=0",
				"--server.port=0", "--spring.main.cloud-platform=none", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redis.port(), "--jcilium.ipam.cluster-pool.ipv4-cidrs=10.40.0.0/16",
				"--jcilium.ipam.cluster-pool.ipv4-mask-size=24", "--spring.grpc.server.shutdown-grace-period=0s",
				bundle + "keystore.certificate=file:" + server.certificate(),
				bundle + "keystore.private-key=file:" + server.privateKey(),
				bundle + "truststore.certificate=file:" + authority.caCertificate(),
				"--spring.grpc.server.ssl.bundle=ipam-grpc", "--spring.grpc.server.ssl.client-auth=require",
				"--jcilium.tls.enabled=true");
	}

	@AfterAll
	static void stopService() {
		if (service != null) {
			service.close();
		}
		if (authority != null) {
			authority.close();
		}
	}

	@Test
	void aNodesCertificateDoesNotAdministerEvenWhenItsHeaderClaimsTheOperator() throws Exception {
		try (Client operator = new Client(credentials("jcilium-operator"));
				Client nodeB = new Client(credentials("system:node:node-b"))) {
			String cidr = operator.stub(null)
				.allocateNodeCidrs(AllocateNodeCidrsRequest.newBuilder().setNode("node-a").build())
				.getPodCidrs(0);

			assertThatThrownBy(() -> nodeB.stub(Caller.operator())
				.releaseNodeCidrs(ReleaseNodeCidrsRequest.newBuilder().setNode("node-a").build()))
				.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
					assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
					assertThat(ex.getStatus().getDescription()).contains("declares the operator")
						.contains("certificate names node 'node-b'");
				});
			assertThatThrownBy(() -> nodeB.stub(null)
				.releaseNodeCidrs(ReleaseNodeCidrsRequest.newBuilder().setNode("node-a").build()))
				.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
					assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
					assertThat(ex.getStatus().getDescription()).contains("only to the operator");
				});
			// node-a keeps its CIDR.
			assertThat(nodeB.stub(null)
				.getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode("node-a").build())
				.getPodCidrsList()).containsExactly(cidr);
		}
	}

	@Test
	void aClientWithoutACertificateGetsNoCidr() throws Exception {
		ChannelCredentials noCertificate = TlsChannelCredentials.newBuilder()
			.trustManager(authority.caCertificate().toFile())
			.build();
		try (Client anonymous = new Client(noCertificate);
				Client operator = new Client(credentials("jcilium-operator"))) {
			assertThatThrownBy(() -> anonymous.stub(Caller.node("node-x"))
				.allocateNodeCidrs(AllocateNodeCidrsRequest.newBuilder().setNode("node-x").build()))
				.isInstanceOfSatisfying(StatusRuntimeException.class,
						(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
			assertThat(operator.stub(null)
				.getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode("node-x").build())
				.getPodCidrsList()).isEmpty();
		}
	}

	// A real handshake with a certificate of another CA, even naming the operator, is
	// refused; the cluster CA's operator certificate is served on the same port.
	@Test
	void aCertificateOfAnotherAuthorityIsRefused() throws Exception {
		try (TestCertificates stranger = TestCertificates.newAuthority("stranger-ca")) {
			Issued foreign = stranger.issue("jcilium-operator");
			ChannelCredentials foreignCredentials = TlsChannelCredentials.newBuilder()
				.keyManager(foreign.certificate().toFile(), foreign.privateKey().toFile())
				.trustManager(authority.caCertificate().toFile())
				.build();
			try (Client impostor = new Client(foreignCredentials);
					Client operator = new Client(credentials("jcilium-operator"))) {
				assertThatThrownBy(() -> impostor.stub(null)
					.allocateNodeCidrs(AllocateNodeCidrsRequest.newBuilder().setNode("node-s").build()))
					.isInstanceOfSatisfying(StatusRuntimeException.class,
							(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
				assertThat(operator.stub(null)
					.getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode("node-s").build())
					.getPodCidrsList()).isEmpty();
			}
		}
	}

	private static ChannelCredentials credentials(String commonName) throws IOException {
		Issued issued = authority.issue(commonName);
		return TlsChannelCredentials.newBuilder()
			.keyManager(issued.certificate().toFile(), issued.privateKey().toFile())
			.trustManager(authority.caCertificate().toFile())
			.build();
	}

	/** A channel to the service with the given credentials. */
	private static final class Client implements AutoCloseable {

		private final ManagedChannel channel;

		Client(ChannelCredentials credentials) {
			int port = Integer.parseInt(service.getEnvironment().getRequiredProperty("local.grpc.port"));
			this.channel = Grpc.newChannelBuilderForAddress("localhost", port, credentials).build();
		}

		/** A stub declaring {@code declared} in the header, or nothing when null. */
		IpamServiceBlockingStub stub(Caller declared) {
			IpamServiceBlockingStub stub = IpamServiceGrpc.newBlockingStub(this.channel)
				.withDeadlineAfter(30, TimeUnit.SECONDS);
			return (declared != null) ? stub.withInterceptors(CallerHeader.declaring(declared)) : stub;
		}

		@Override
		public void close() throws InterruptedException {
			this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}

	}

}
