package io.jcilium.api.tls;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Provider;
import java.util.Collections;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * An SSL bundle whose key and trust managers follow the bundle's reloads
 * ({@code spring.ssl.bundle.pem.<name>.reload-on-update}): whoever builds a TLS transport
 * from {@link #getManagers()} once, as gRPC servers and channels do, presents the newest
 * certificate and trusts the newest CA on every later handshake, without a restart.
 */
final class FollowingSslBundle implements SslBundle {

	private static final Provider PROVIDER = new Provider("jcilium-following", "1.0",
			"key and trust managers that follow SSL bundle reloads") {

		private static final long serialVersionUID = 1L;

	};

	private final FollowingKeyManager keyManager;

	private final FollowingTrustManager trustManager;

	private final SslManagerBundle managers;

	private final String name;

	private volatile SslBundle current;

	/**
	 * @param name the bundle's name, for errors
	 * @param initial the bundle as configured
	 * @throws MutualTlsSettingsException when it has a certificate but no private key
	 */
	FollowingSslBundle(String name, SslBundle initial) {
		this.name = name;
		requireKeyWithCertificate(name, initial);
		this.current = initial;
		SslManagerBundle initialManagers = initial.getManagers();
		this.keyManager = new FollowingKeyManager(FollowingKeyManager.x509(initialManagers.getKeyManagers()));
		this.trustManager = new FollowingTrustManager(FollowingTrustManager.x509(initialManagers.getTrustManagers()));
		this.managers = SslManagerBundle.of(keyManagerFactory(this.keyManager), trustManagerFactory(this.trustManager));
	}

	/**
	 * Moves to the reloaded bundle: the next handshakes use its certificate and CA.
	 * @param reloaded the bundle as reloaded from its files
	 * @throws MutualTlsSettingsException when it has a certificate but no private key;
	 * the previous certificate stays in use
	 */
	void follow(SslBundle reloaded) {
		requireKeyWithCertificate(this.name, reloaded);
		SslManagerBundle next = reloaded.getManagers();
		// Both first, so that a bundle missing one changes nothing.
		var key = FollowingKeyManager.x509(next.getKeyManagers());
		var trust = FollowingTrustManager.x509(next.getTrustManagers());
		this.keyManager.follow(key);
		this.trustManager.follow(trust);
		this.current = reloaded;
	}

	/**
	 * Refuses a key store that holds a certificate but no private key to go with it.
	 */
	private static void requireKeyWithCertificate(String name, SslBundle bundle) {
		KeyStore keyStore = bundle.getStores().getKeyStore();
		if (keyStore == null) {
			return;
		}
		boolean certificate = false;
		try {
			for (String alias : Collections.list(keyStore.aliases())) {
				if (keyStore.isKeyEntry(alias)) {
					return;
				}
				certificate |= keyStore.isCertificateEntry(alias);
			}
		}
		catch (KeyStoreException ex) {
			throw new MutualTlsSettingsException("SSL bundle '" + name + "' has an unreadable key store: " + ex);
		}
		if (certificate) {
			throw new MutualTlsSettingsException("SSL bundle '" + name + "' has a certificate but no private key (set "
					+ "spring.ssl.bundle.pem." + name + ".keystore.private-key): without it the service can neither "
					+ "serve TLS nor prove who it is");
		}
	}

	@Override
	public SslStoreBundle getStores() {
		return this.current.getStores();
	}

	@Override
	public SslBundleKey getKey() {
		return this.current.getKey();
	}

	@Override
	public SslOptions getOptions() {
		return this.current.getOptions();
	}

	@Override
	public String getProtocol() {
		return this.current.getProtocol();
	}

	@Override
	public SslManagerBundle getManagers() {
		return this.managers;
	}

	private static KeyManagerFactory keyManagerFactory(KeyManager manager) {
		KeyManagerFactorySpi spi = new KeyManagerFactorySpi() {

			@Override
			protected void engineInit(KeyStore keyStore, char[] password) {
			}

			@Override
			protected void engineInit(ManagerFactoryParameters parameters) {
			}

			@Override
			protected KeyManager[] engineGetKeyManagers() {
				return new KeyManager[] { manager };
			}

		};
		return new KeyManagerFactory(spi, PROVIDER, "following") {
		};
	}

	private static TrustManagerFactory trustManagerFactory(TrustManager manager) {
		TrustManagerFactorySpi spi = new TrustManagerFactorySpi() {

			@Override
			protected void engineInit(KeyStore keyStore) {
			}

			@Override
			protected void engineInit(ManagerFactoryParameters parameters) {
			}

			@Override
			protected TrustManager[] engineGetTrustManagers() {
				return new TrustManager[] { manager };
			}

		};
		return new TrustManagerFactory(spi, PROVIDER, "following") {
		};
	}

}
