package io.jcilium.api.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import io.jcilium.testsupport.TestCertificates;
import io.jcilium.testsupport.TestCertificates.Issued;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Certificate rotation without a restart on the client side (issue 17 point 1): an
 * {@link SSLContext} built once from a followed bundle, as gRPC channels build theirs,
 * presents the reloaded certificate and trusts the reloaded CA on the next handshake.
 * Real TLS handshakes against a server that requires a client certificate; each
 * connection goes to a new server port, so no TLS session is resumed.
 */
class FollowingSslBundlesTest {

	private TestCertificates authority;

	private TestCertificates otherAuthority;

	private DefaultSslBundleRegistry registry;

	private FollowingSslBundles following;

	@BeforeEach
	void setUp() {
		this.authority = TestCertificates.newAuthority("jcilium-test-ca");
		this.otherAuthority = TestCertificates.newAuthority("jcilium-other-ca");
		this.registry = new DefaultSslBundleRegistry();
		this.following = new FollowingSslBundles(this.registry);
	}

	@AfterEach
	void tearDown() {
		this.authority.close();
		this.otherAuthority.close();
	}

	@Test
	void theNextHandshakePresentsTheReloadedCertificate() throws Exception {
		SslBundle server = bundle(this.authority.issue("identity-service", "localhost"), this.authority);
		this.registry.registerBundle("grpc", bundle(this.authority.issue("system:node:node-1"), this.authority));
		SSLContext client = this.following.getBundle("grpc").createSslContext();
		assertThat(clientNameSeenBy(server, client)).isEqualTo("CN=system:node:node-1");

		this.registry.updateBundle("grpc", bundle(this.authority.issue("system:node:node-1-renewed"), this.authority));

		assertThat(clientNameSeenBy(server, client)).isEqualTo("CN=system:node:node-1-renewed");
	}

	@Test
	void theNextHandshakeTrustsTheReloadedCa() throws Exception {
		// The server moved to the next CA's certificate; it still accepts clients of the
		// first.
		SslBundle server = SslBundle
			.of(new PemSslStoreBundle(details(this.otherAuthority.issue("identity-service", "localhost")),
					PemSslStoreDetails.forCertificate("file:" + this.authority.caCertificate())));
		Issued node = this.authority.issue("system:node:node-1");
		this.registry.registerBundle("grpc", bundle(node, this.authority));
		SSLContext client = this.following.getBundle("grpc").createSslContext();
		assertThatThrownBy(() -> clientNameSeenBy(server, client)).isInstanceOf(IOException.class);

		this.registry.updateBundle("grpc", bundle(node, this.otherAuthority));

		assertThat(clientNameSeenBy(server, client)).isEqualTo("CN=system:node:node-1");
	}

	@Test
	void aBundleWithACertificateButNoKeyIsRefusedNamingTheBundleAndTheKey() {
		this.registry.registerBundle("grpc", withoutKey(this.authority.issue("system:node:node-1"), this.authority));

		assertThatThrownBy(() -> this.following.getBundle("grpc")).isInstanceOf(MutualTlsSettingsException.class)
			.hasMessageStartingWith("SSL bundle 'grpc' has a certificate but no private key")
			.hasMessageContaining("spring.ssl.bundle.pem.grpc.keystore.private-key")
			.hasMessageNotContaining("\n");
	}

	@Test
	void aReloadWithoutAKeyKeepsTheLastGoodCertificate() throws Exception {
		SslBundle server = bundle(this.authority.issue("identity-service", "localhost"), this.authority);
		this.registry.registerBundle("grpc", bundle(this.authority.issue("system:node:node-1"), this.authority));
		SslBundle followed = this.following.getBundle("grpc");
		SSLContext client = followed.createSslContext();

		this.registry.updateBundle("grpc",
				withoutKey(this.authority.issue("system:node:node-1-renewed"), this.authority));

		assertThat(clientNameSeenBy(server, client)).isEqualTo("CN=system:node:node-1");
		assertThat(followed.getStores()
			.getKeyStore()
			.isKeyEntry(followed.getStores().getKeyStore().aliases().nextElement()))
			.as("the bundle's stores are still the last good ones")
			.isTrue();
	}

	/** A bundle whose key store has {@code leaf}'s certificate and no private key. */
	private static SslBundle withoutKey(Issued leaf, TestCertificates trusted) {
		return SslBundle.of(new PemSslStoreBundle(PemSslStoreDetails.forCertificate("file:" + leaf.certificate()),
				PemSslStoreDetails.forCertificate("file:" + trusted.caCertificate())));
	}

	private static SslBundle bundle(Issued leaf, TestCertificates trusted) {
		return SslBundle.of(new PemSslStoreBundle(details(leaf),
				PemSslStoreDetails.forCertificate("file:" + trusted.caCertificate())));
	}

	private static PemSslStoreDetails details(Issued leaf) {
		return PemSslStoreDetails.forCertificate("file:" + leaf.certificate())
			.withPrivateKey("file:" + leaf.privateKey());
	}

	/**
	 * One connection from {@code client} to a new server that requires a client
	 * certificate; the server answers one byte once it has verified it.
	 * @return the subject of the certificate the client presented
	 */
	private static String clientNameSeenBy(SslBundle server, SSLContext client) throws Exception {
		InetAddress loopback = InetAddress.getLoopbackAddress();
		try (SSLServerSocket listener = (SSLServerSocket) server.createSslContext()
			.getServerSocketFactory()
			.createServerSocket(0, 1, loopback)) {
			listener.setNeedClientAuth(true);
			CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
				try (SSLSocket accepted = (SSLSocket) listener.accept()) {
					accepted.setSoTimeout(10_000);
					accepted.startHandshake();
					String name = accepted.getSession().getPeerPrincipal().getName();
					accepted.getOutputStream().write(1);
					accepted.getOutputStream().flush();
					return name;
				}
				catch (IOException ex) {
					return null;
				}
			});
			try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
				.createSocket(loopback, listener.getLocalPort())) {
				socket.setSoTimeout(10_000);
				socket.startHandshake();
				InputStream in = socket.getInputStream();
				if (in.read() != 1) {
					throw new IOException("the server closed the connection without answering");
				}
			}
			finally {
				listener.close();
			}
			return seen.get(10, TimeUnit.SECONDS);
		}
	}

}
