package io.jcilium.api.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that checks peers against the newest CA bundle it was given: each
 * handshake asks it, so a rotated CA (for example one carrying the old and the new CA
 * while certificates move over) applies to connections opened afterwards.
 */
public final class FollowingTrustManager extends X509ExtendedTrustManager {

	private volatile X509ExtendedTrustManager current;

	/**
	 * @param initial the trust manager of the CA bundle in use now
	 */
	public FollowingTrustManager(X509ExtendedTrustManager initial) {
		this.current = initial;
	}

	/**
	 * The first {@link X509ExtendedTrustManager} of a factory's trust managers.
	 * @param managers what a {@code TrustManagerFactory} gave
	 * @return the X.509 trust manager among them
	 * @throws IllegalArgumentException when there is none
	 */
	public static X509ExtendedTrustManager x509(TrustManager[] managers) {
		return Arrays.stream(managers)
			.filter(X509ExtendedTrustManager.class::isInstance)
			.map(X509ExtendedTrustManager.class::cast)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("the SSL bundle has no X.509 trust manager"));
	}

	/**
	 * Checks peers against {@code next} from the next handshake on.
	 * @param next the trust manager of the new CA bundle
	 */
	public void follow(X509ExtendedTrustManager next) {
		this.current = next;
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		this.current.checkClientTrusted(chain, authType, socket);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
			throws CertificateException {
		this.current.checkServerTrusted(chain, authType, socket);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		this.current.checkClientTrusted(chain, authType, engine);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		this.current.checkServerTrusted(chain, authType, engine);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		this.current.checkClientTrusted(chain, authType);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		this.current.checkServerTrusted(chain, authType);
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return this.current.getAcceptedIssuers();
	}

}
