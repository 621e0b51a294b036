package io.jcilium.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jcilium.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Our client against an API server that requires a client certificate (as a kubeconfig
 * with {@code client-certificate}/{@code client-key} and a private CA is used against a
 * real cluster), on real TLS: a JDK HTTPS server that trusts only the test CA and refuses
 * a connection without a certificate. The client reads its credentials from a kubeconfig,
 * as {@link KubernetesClients#create()} does outside a cluster.
 */
class ApiServerMutualTlsIT {

	private TestCertificates authority;

	private HttpsServer server;

	private final List<String> callers = new CopyOnWriteArrayList<>();

	private Path dir;

	@BeforeEach
	void start() throws Exception {
		this.authority = TestCertificates.newAuthority("api-server-test-ca");
		this.dir = Files.createTempDirectory("jcilium-k8s-mtls-");
		TestCertificates.Issued serving = this.authority.issue("kube-apiserver");
		SSLContext context = SSLContext.getInstance("TLS");
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(pkcs12(serving), new char[0]);
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusting(this.authority.caCertificate()));
		context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
		this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.setHttpsConfigurator(new HttpsConfigurator(context) {
			@Override
			public void configure(HttpsParameters params) {
				SSLParameters parameters = context.getDefaultSSLParameters();
				parameters.setNeedClientAuth(true);
				params.setSSLParameters(parameters);
			}
		});
		this.server.createContext("/version", (exchange) -> {
			try {
				this.callers.add(((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName());
			}
			catch (SSLPeerUnverifiedException ex) {
				this.callers.add("anonymous");
			}
			byte[] body = "{\"major\":\"1\",\"minor\":\"34\",\"gitVersion\":\"v1.34.0\"}"
				.getBytes(StandardCharsets.US_ASCII);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
	}

	@AfterEach
	void stop() throws IOException {
		if (this.server != null) {
			this.server.stop(0);
		}
		if (this.authority != null) {
			this.authority.close();
		}
		if (this.dir != null) {
			try (var files = Files.list(this.dir)) {
				for (Path file : files.toList()) {
					Files.delete(file);
				}
			}
			Files.delete(this.dir);
		}
	}

	@Test
	void aKubeconfigsClientCertificateAndCustomCaReachAnApiServerThatRequiresThem() throws Exception {
		TestCertificates.Issued node = this.authority.issue("system:node:node-a");
		Config config = Config.fromKubeconfig(kubeconfig(node));
		// the test CA's keys are P-256; fabric8 reads a key as RSA unless told
		config.setClientKeyAlgo("EC");
		config.setRequestRetryBackoffLimit(0);
		try (KubernetesClient client = KubernetesClients.create(config, WatchLiveness.DEFAULT)) {
			assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.34.0");
		}
		assertThat(this.callers).containsExactly("CN=system:node:node-a");
	}

	@Test
	void withoutTheClientCertificateTheServerRefusesTheClient() throws Exception {
		Config config = Config.fromKubeconfig(kubeconfig(null));
		config.setRequestRetryBackoffLimit(0);
		try (KubernetesClient client = KubernetesClients.create(config, WatchLiveness.DEFAULT)) {
			assertThatExceptionOfType(KubernetesClientException.class).isThrownBy(client::getKubernetesVersion);
		}
		assertThat(this.callers).isEmpty();
	}

	private String kubeconfig(TestCertificates.Issued user) {
		String credentials = (user != null) ? """
				    client-certificate: %s
				    client-key: %s
				""".formatted(user.certificate(), user.privateKey()) : "    username: nobody\n";
		return """
				apiVersion: v1
				kind: Config
				clusters:
				- name: test
				  cluster:
				    server: https://127.0.0.1:%d
				    certificate-authority: %s
				users:
				- name: node
				  user:
				%scontexts:
				- name: test
				  context: {cluster: test, user: node}
				current-context: test
				""".formatted(this.server.getAddress().getPort(), this.authority.caCertificate(), credentials);
	}

	/** The leaf's certificate and key as a PKCS#12 store (empty password), by openssl. */
	private KeyStore pkcs12(TestCertificates.Issued leaf) throws Exception {
		Path store = this.dir.resolve("server.p12");
		Process process = new ProcessBuilder("openssl", "pkcs12", "-export", "-in", leaf.certificate().toString(),
				"-inkey", leaf.privateKey().toString(), "-out", store.toString(), "-passout", "pass:")
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as("openssl pkcs12: %s", output).isZero();
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(store)) {
			keyStore.load(in, new char[0]);
		}
		return keyStore;
	}

	private static KeyStore trusting(Path caCertificate) throws Exception {
		KeyStore keyStore = KeyStore.getInstance(KeyStore.getDefaultType());
		keyStore.load(null, null);
		try (InputStream in = Files.newInputStream(caCertificate)) {
			keyStore.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		return keyStore;
	}

}
