package io.jcilium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away certificate authority for mTLS tests: a CA and the leaf certificates it
 * issues (P-256 keys, PKCS#8 PEM, valid two days, usable as client and as server on
 * {@code localhost}/{@code 127.0.0.1}), made with the {@code openssl} command in a
 * temporary directory that {@link #close()} removes.
 */
public final class TestCertificates implements AutoCloseable {

	private final Path dir;

	private int issued;

	private TestCertificates(Path dir) {
		this.dir = dir;
	}

	/**
	 * A new CA. Needs {@code openssl} (skipped outside CI, failed in CI, without it).
	 * @param commonName the CA's common name
	 * @return the authority
	 */
	public static TestCertificates newAuthority(String commonName) {
		Prerequisites.require(Prerequisites.onPath("openssl"),
				"needs the openssl command to issue test certificates (apt-get install openssl)");
		Path dir;
		try {
			dir = Files.createTempDirectory("jcilium-test-ca-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		TestCertificates authority = new TestCertificates(dir);
		try {
			authority.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
					"-keyout", dir.resolve("ca.key").toString(), "-out", dir.resolve("ca.crt").toString(), "-days", "2",
					"-subj", "/CN=" + commonName);
		}
		catch (RuntimeException ex) {
			authority.close();
			throw ex;
		}
		return authority;
	}

	/** The CA's certificate (PEM): what peers trust. */
	public Path caCertificate() {
		return this.dir.resolve("ca.crt");
	}

	/** The CA's private key (PKCS#8 PEM), for a signer under test. */
	public Path caPrivateKey() {
		return this.dir.resolve("ca.key");
	}

	/**
	 * A certificate this CA signs.
	 * @param commonName the subject's common name, e.g. {@code system:node:node-a}
	 * @return its certificate and private key
	 */
	public synchronized Issued issue(String commonName) {
		return issue(commonName, new String[0]);
	}

	/**
	 * A certificate this CA signs, also valid for more DNS names.
	 * @param commonName the subject's common name
	 * @param dnsNames DNS names it is valid for besides {@code localhost}, e.g.
	 * {@code node-a.default.hubble-grpc.cilium.io}
	 * @return its certificate and private key
	 */
	public synchronized Issued issue(String commonName, String... dnsNames) {
		String name = "leaf-" + (++this.issued);
		Path key = this.dir.resolve(name + ".key");
		Path request = this.dir.resolve(name + ".csr");
		Path certificate = this.dir.resolve(name + ".crt");
		Path extensions = this.dir.resolve(name + ".ext");
		try {
			StringBuilder names = new StringBuilder("DNS:localhost,IP:127.0.0.1");
			for (String dnsName : dnsNames) {
				names.append(",DNS:").append(dnsName);
			}
			Files.writeString(extensions, "subjectAltName=" + names + "\n"
					+ "extendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(),
				"-out", request.toString(), "-subj", "/CN=" + commonName);
		openssl("x509", "-req", "-in", request.toString(), "-CA", caCertificate().toString(), "-CAkey",
				this.dir.resolve("ca.key").toString(), "-set_serial", String.valueOf(1000 + this.issued), "-days", "2",
				"-extfile", extensions.toString(), "-out", certificate.toString());
		return new Issued(certificate, key);
	}

	/**
	 * The properties of a Spring PEM SSL bundle holding a leaf's certificate and key and
	 * this CA as the trust store.
	 * @param bundle the bundle's name
	 * @param leaf what this CA issued
	 * @return {@code key=value} properties
	 */
	public List<String> springBundle(String bundle, Issued leaf) {
		String prefix = "spring.ssl.bundle.pem." + bundle + ".";
		return List.of(prefix + "keystore.certificate=file:" + leaf.certificate(),
				prefix + "keystore.private-key=file:" + leaf.privateKey(),
				prefix + "truststore.certificate=file:" + caCertificate());
	}

	private void openssl(String... arguments) {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException(
						String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while running openssl", ex);
		}
	}

	@Override
	public void close() {
		try (Stream<Path> files = Files.walk(this.dir)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A certificate and its private key, both PEM files.
	 *
	 * @param certificate the certificate
	 * @param privateKey the PKCS#8 private key
	 */
	public record Issued(Path certificate, Path privateKey) {

	}

}
