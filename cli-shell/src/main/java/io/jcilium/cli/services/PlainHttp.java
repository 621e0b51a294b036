package io.jcilium.cli.services;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * HTTP clients for the services' plain {@code http://} APIs. The JDK's client needs a TLS
 * context even when it never speaks TLS, and its default one reads and parses the JDK's
 * whole trust store (~150 certificates) when the client is built: measurable CPU in every
 * one-shot command. A client for an {@code http://} address gets a context with no keys
 * and no trust instead; it follows no redirect, so it never reaches a TLS server.
 * {@code https://} addresses keep the default.
 */
public final class PlainHttp {

	private PlainHttp() {
	}

	/**
	 * A client builder for calls to {@code address}.
	 * @param address the service's base URL
	 * @return a builder that never follows redirects
	 */
	public static HttpClient.Builder builderFor(URI address) {
		HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER);
		if ("http".equalsIgnoreCase(address.getScheme())) {
			builder.sslContext(noTls());
		}
		return builder;
	}

	private static SSLContext noTls() {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(new KeyManager[0], new TrustManager[0], null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("the JDK offers no TLS context", ex);
		}
	}

}
