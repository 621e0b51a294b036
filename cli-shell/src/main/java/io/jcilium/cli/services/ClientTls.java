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
 * {@code jcilium.tls.*}: PEM files as the chart's Secrets hold them. With none set the
 * console speaks plaintext, a development setting; the services then must too.
 * <p>
 * Plain files rather than a Spring SSL bundle: the console starts without
 * auto-configuration (see {@code CliShellApplication}), and a one-shot command lives too
 * briefly for a certificate to rotate under it.
 *
 * @param caCertificate the cluster's CA, which the services' certificates chain to
 * ({@code ca.crt})
 * @param certificate the console's certificate ({@code tls.crt})
 * @param privateKey its PKCS#8 private key ({@code tls.key})
 */
public record ClientTls(Path caCertificate, Path certificate, Path privateKey) {

	public ClientTls {
		int set = ((caCertificate != null) ? 1 : 0) + ((certificate != null) ? 1 : 0) + ((privateKey != null) ? 1 : 0);
		if (set != 0 && set != 3) {
			throw new IllegalArgumentException("jcilium.tls needs all of ca-certificate, certificate and private-key "
					+ "(mTLS), or none of them (plaintext)");
		}
	}

	/** Plaintext: no certificate. */
	public static ClientTls plaintext() {
		return new ClientTls(null, null, null);
	}

	/**
	 * The credentials of a channel to a service.
	 * @return mTLS with these files, or plaintext without
	 * @throws CommandFailedException naming the setting when a file cannot be read
	 */
	public ChannelCredentials credentials() {
		if (this.caCertificate == null) {
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
