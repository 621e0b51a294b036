package io.jcilium.api.tls;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;

/**
 * The credentials of a gRPC channel to another of our services: mTLS with a Spring SSL
 * bundle (this component's certificate and key, and the cluster's CA that the server's
 * certificate must chain to), or plaintext when no bundle is named, an explicit
 * development setting.
 */
public final class MutualTls {

	private MutualTls() {
	}

	/**
	 * @param bundles the application's SSL bundles (through {@link FollowingSslBundles}
	 * the channel follows certificate rotations)
	 * @param bundleName the bundle ({@code spring.ssl.bundle.pem.<name>}), blank or null
	 * for plaintext
	 * @return the channel credentials
	 */
	public static ChannelCredentials channelCredentials(SslBundles bundles, String bundleName) {
		if (isPlaintext(bundleName)) {
			return InsecureChannelCredentials.create();
		}
		SslManagerBundle managers = bundles.getBundle(bundleName).getManagers();
		return TlsChannelCredentials.newBuilder()
			.keyManager(managers.getKeyManagers())
			.trustManager(managers.getTrustManagers())
			.build();
	}

	/**
	 * Whether a bundle setting means plaintext.
	 * @param bundleName the setting's value
	 * @return true when it names no bundle
	 */
	public static boolean isPlaintext(String bundleName) {
		return bundleName == null || bundleName.isBlank();
	}

}
