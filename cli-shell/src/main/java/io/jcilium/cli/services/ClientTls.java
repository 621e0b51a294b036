package io.jcilium.cli.services;

import java.nio.file.Path;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.jcilium.cli.CommandFailedException;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * The console's certificate for the services' gRPC ports, bound from
 * {@code jcilium.tls.*}: PEM files as the chart's Secrets hold them. mTLS is on by
 * default: without the files a command that calls a service's gRPC port fails naming them
 * (commands that call no gRPC port still work); {@code jcilium.tls.enabled=false} makes
 * the console speak plaintext, a development setting, for services started the same way.
 * <p>
 * Plain files rather than a Spring SSL bundle: the console starts without
 * auto-configuration (see {@code CliShellApplication}), and a one-shot command lives too
 * briefly for a certificate to rotate under it.
 *
 * @param caCertificate the cluster's CA, which the services' certificates chain to
 * ({@code ca.crt})
 * @param certificate the console's certificate ({@code tls.crt})
 * @param privateKey its PKCS#8 private key ({@code tls.key})
 * @param enabled whether mTLS is on (null: on, the default); false, and no files:
 * plaintext
 */
public record ClientTls(Path caCertificate, Path certificate, Path privateKey, Boolean enabled) {

	static final String MISSING = "mTLS is on (jcilium.tls.enabled, the default) but jcilium.tls.ca-certificate, "
			+ "jcilium.tls.certificate and jcilium.tls.private-key are not set: point them at the cluster's CA "
			+ "and the console's certificate and key (ca.crt, tls.crt, tls.key of the chart's "
			+ "<release>-console-tls Secret), or set jcilium.tls.enabled=false for plaintext (development only)";

	public ClientTls {
		enabled = (enabled == null) || enabled;
		int set = ((caCertificate != null) ? 1 : 0) + ((certificate != null) ? 1 : 0) + ((privateKey != null) ? 1 : 0);
		if (set != 0 && set != 3) {
			throw new IllegalArgumentException("jcilium.tls needs all of ca-certificate, certificate and private-key "
					+ "(mTLS), or none of them (plaintext)");
		}
	}

	/** Plaintext, explicitly: no certificate, {@code jcilium.tls.enabled=false}. */
	public static ClientTls plaintext() {
		return new ClientTls(null, null, null, false);
	}

	/** Nothing set: mTLS, without the files yet. */
	public static ClientTls unset() {
		return new ClientTls(null, null, null, null);
	}

	/**
	 * The credentials of a channel to a service.
	 * @return mTLS with these files, or plaintext without them when mTLS is off
	 * @throws CommandFailedException naming the settings when mTLS is on without the
	 * files, or a file cannot be read
	 */
	public ChannelCredentials credentials() {
		if (this.caCertificate == null) {
			if (this.enabled) {
				throw new CommandFailedException(MISSING);
			}
			return InsecureChannelCredentials.create();
		}
		try {
			// Through Spring Boot's PEM reader: the chart's keys may be PKCS#1 (Helm's
			// genSignedCert), which gRPC's own file reader refuses.
			PemSslStoreDetails keyStore = PemSslStoreDetails.forCertificate(location(this.certificate))
				.withPrivateKey(location(this.privateKey));
			PemSslStoreDetails trustStore = PemSslStoreDetails.forCertificate(location(this.caCertificate));
			SslManagerBundle managers = SslBundle.of(new PemSslStoreBundle(keyStore, trustStore)).getManagers();
			return TlsChannelCredentials.newBuilder()
				.keyManager(managers.getKeyManagers())
				.trustManager(managers.getTrustManagers())
				.build();
		}
		catch (RuntimeException ex) {
			throw new CommandFailedException("jcilium.tls: cannot read the certificate, key or CA (" + this.certificate
					+ ", " + this.privateKey + ", " + this.caCertificate + "): " + ex.getMessage());
		}
	}

	private static String location(Path file) {
		return "file:" + file.toAbsolutePath();
	}

}
