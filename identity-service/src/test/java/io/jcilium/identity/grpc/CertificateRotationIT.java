package io.jcilium.identity.grpc;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLSession;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.identity.testsupport.RunningIdentityService;
import io.jcilium.testsupport.MountedSecret;
import io.jcilium.testsupport.RedisServer;
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
 * Certificate rotation without a restart (issue 17 point 1): the service reads its
 * certificate, key and CA from a directory laid out and updated as the kubelet mounts a
 * Secret; after each update a new connection sees the new certificate and the new CA,
 * while the service keeps running and an established connection keeps working.
 */
class CertificateRotationIT {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	@TempDir
	static Path work;

	private static TestCertificates authority;

	private static TestCertificates nextAuthority;

	private static MountedSecret secret;

	private static RunningIdentityService service;

	@BeforeAll
	static void startService() {
		authority = TestCertificates.newAuthority("jcilium-test-ca");
		nextAuthority = TestCertificates.newAuthority("jcilium-next-ca");
		secret = MountedSecret.of(files(authority.issue("identity-service"), authority.caCertificate()));
		String bundle = "spring.ssl.bundle.pem.grpc.";
		service = RunningIdentityService.start(redisServer.port(),
				bundle + "keystore.certificate=file:" + secret.file("tls.crt"),
				bundle + "keystore.private-key=file:" + secret.file("tls.key"),
				bundle + "truststore.certificate=file:" + secret.file("ca.crt"), bundle + "reload-on-update=true",
				"spring.ssl.bundle.watch.file.quiet-period=100ms", "spring.grpc.server.ssl.bundle=grpc",
				"spring.grpc.server.ssl.client-auth=require");
	}

	@AfterAll
	static void stopService() throws InterruptedException {
		if (service != null) {
			service.close();
		}
		for (AutoCloseable closeable : new AutoCloseable[] { secret, authority, nextAuthority }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	@Test
	void aNewConnectionSeesEachRotatedCertificateAndCaWithoutARestart() throws Exception {
		Issued operator = authority.issue("jcilium-operator");
		Issued nextOperator = nextAuthority.issue("jcilium-operator");
		BigInteger first = serverSerial(operator, authority.caCertificate());
		try (Connection established = connect(operator, authority.caCertificate())) {
			list(established);
			// A client of the next CA is refused while the server trusts only the first.
			assertThatThrownBy(() -> serverSerial(nextOperator, nextAuthority.caCertificate()))
				.isInstanceOf(StatusRuntimeException.class);

			// Rotation 1: a new certificate, and a CA bundle trusting both CAs while
			// clients move over.
			Issued second = authority.issue("identity-service");
			secret.update(files(second, both()));
			BigInteger secondSerial = serialOf(second.certificate());
			assertThat(secondSerial).isNotEqualTo(first);
			awaitServerSerial(operator, authority.caCertificate(), secondSerial);
			assertThat(serverSerial(nextOperator, both())).isEqualTo(secondSerial);
			// The connection opened before the rotation still works.
			list(established);

			// Rotation 2, the server's certificate now from the next CA: the watcher
			// followed the kubelet's second swap too.
			Issued third = nextAuthority.issue("identity-service");
			secret.update(files(third, both()));
			awaitServerSerial(nextOperator, both(), serialOf(third.certificate()));
			list(established);
		}
	}

	private static Path both() throws IOException {
		Path bundle = work.resolve("ca-both.crt");
		if (!Files.exists(bundle)) {
			Files.writeString(bundle,
					Files.readString(authority.caCertificate()) + Files.readString(nextAuthority.caCertificate()));
		}
		return bundle;
	}

	private static void awaitServerSerial(Issued client, Path ca, BigInteger expected) throws Exception {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		Set<BigInteger> seen = new LinkedHashSet<>();
		while (Instant.now().isBefore(deadline)) {
			BigInteger serial = serverSerial(client, ca);
			if (serial.equals(expected)) {
				return;
			}
			seen.add(serial);
			Thread.sleep(200);
		}
		throw new AssertionError(
				"no new connection saw certificate " + expected + " within 60 s; new connections saw only " + seen);
	}

	/** A new connection's view of the server certificate, after a real call. */
	private static BigInteger serverSerial(Issued client, Path ca) throws Exception {
		AtomicReference<SSLSession> session = new AtomicReference<>();
		try (Connection connection = connect(client, ca)) {
			IdentityServiceGrpc.newBlockingStub(connection.channel())
				.withInterceptors(new SessionCapture(session))
				.withDeadlineAfter(30, TimeUnit.SECONDS)
				.list(ListRequest.getDefaultInstance());
		}
		return ((X509Certificate) session.get().getPeerCertificates()[0]).getSerialNumber();
	}

	private static void list(Connection connection) {
		IdentityServiceGrpc.newBlockingStub(connection.channel())
			.withDeadlineAfter(30, TimeUnit.SECONDS)
			.list(ListRequest.getDefaultInstance());
	}

	private static Connection connect(Issued client, Path ca) throws IOException {
		ChannelCredentials credentials = TlsChannelCredentials.newBuilder()
			.keyManager(client.certificate().toFile(), client.privateKey().toFile())
			.trustManager(ca.toFile())
			.build();
		return new Connection(Grpc.newChannelBuilderForAddress("localhost", service.grpcPort(), credentials).build());
	}

	private static BigInteger serialOf(Path certificate) throws Exception {
		try (var in = Files.newInputStream(certificate)) {
			return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in))
				.getSerialNumber();
		}
	}

	private static Map<String, Path> files(Issued leaf, Path ca) {
		return Map.of("tls.crt", leaf.certificate(), "tls.key", leaf.privateKey(), "ca.crt", ca);
	}

	/** A channel of its own: a new connection. */
	private record Connection(ManagedChannel channel) implements AutoCloseable {

		@Override
		public void close() throws InterruptedException {
			this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}

	}

	/** Records the TLS session a call ran on. */
	private record SessionCapture(AtomicReference<SSLSession> session) implements ClientInterceptor {

		@Override
		public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
			return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {

				@Override
				public void start(Listener<R> listener, Metadata headers) {
					ClientCall<Q, R> call = delegate();
					super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {

						@Override
						public void onHeaders(Metadata received) {
							SessionCapture.this.session.set(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
							super.onHeaders(received);
						}

					}, headers);
				}

			};
		}

	}

}
