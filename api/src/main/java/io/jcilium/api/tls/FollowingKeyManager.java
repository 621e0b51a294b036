package io.jcilium.api.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager that answers with the newest certificate it was given: each TLS handshake
 * asks it which certificate to present, so a connection opened after
 * {@link #follow(X509ExtendedKeyManager)} presents the new one while established
 * connections keep theirs.
 * <p>
 * A handshake asks in two steps (choose an alias, then fetch its chain and key), and a
 * rotation may fall between them. So an alias carries the generation it was chosen from,
 * and the chain and key come from that generation; the previous one is kept for such a
 * handshake in flight.
 */
public final class FollowingKeyManager extends X509ExtendedKeyManager {

	private static final char SEPARATOR = '#';

	private volatile Generation current;

	private volatile Generation previous;

	/**
	 * @param initial the key manager of the certificate in use now
	 */
	public FollowingKeyManager(X509ExtendedKeyManager initial) {
		this.current = new Generation(0, initial);
		this.previous = this.current;
	}

	/**
	 * The first {@link X509ExtendedKeyManager} of a factory's key managers.
	 * @param managers what a {@code KeyManagerFactory} gave
	 * @return the X.509 key manager among them
	 * @throws IllegalArgumentException when there is none
	 */
	public static X509ExtendedKeyManager x509(KeyManager[] managers) {
		return Arrays.stream(managers)
			.filter(X509ExtendedKeyManager.class::isInstance)
			.map(X509ExtendedKeyManager.class::cast)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("the SSL bundle has no X.509 key manager"));
	}

	/**
	 * Presents the certificate of {@code next} from the next handshake on.
	 * @param next the key manager of the new certificate
	 */
	public synchronized void follow(X509ExtendedKeyManager next) {
		Generation now = this.current;
		this.previous = now;
		this.current = new Generation(now.number() + 1, next);
	}

	@Override
	public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
		Generation generation = this.current;
		return generation.tag(generation.manager().chooseClientAlias(keyType, issuers, socket));
	}

	@Override
	public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
		Generation generation = this.current;
		return generation.tag(generation.manager().chooseServerAlias(keyType, issuers, socket));
	}

	@Override
	public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
		Generation generation = this.current;
		return generation.tag(generation.manager().chooseEngineClientAlias(keyType, issuers, engine));
	}

	@Override
	public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
		Generation generation = this.current;
		return generation.tag(generation.manager().chooseEngineServerAlias(keyType, issuers, engine));
	}

	@Override
	public String[] getClientAliases(String keyType, Principal[] issuers) {
		Generation generation = this.current;
		return generation.tagAll(generation.manager().getClientAliases(keyType, issuers));
	}

	@Override
	public String[] getServerAliases(String keyType, Principal[] issuers) {
		Generation generation = this.current;
		return generation.tagAll(generation.manager().getServerAliases(keyType, issuers));
	}

	@Override
	public X509Certificate[] getCertificateChain(String alias) {
		Generation generation = generationOf(alias);
		return (generation != null) ? generation.manager().getCertificateChain(untagged(alias)) : null;
	}

	@Override
	public PrivateKey getPrivateKey(String alias) {
		Generation generation = generationOf(alias);
		return (generation != null) ? generation.manager().getPrivateKey(untagged(alias)) : null;
	}

	private Generation generationOf(String alias) {
		int separator = (alias != null) ? alias.indexOf(SEPARATOR) : -1;
		if (separator < 0) {
			return null;
		}
		String number = alias.substring(0, separator);
		for (Generation generation : new Generation[] { this.current, this.previous }) {
			if (Integer.toString(generation.number()).equals(number)) {
				return generation;
			}
		}
		return null;
	}

	private static String untagged(String alias) {
		return alias.substring(alias.indexOf(SEPARATOR) + 1);
	}

	/** One certificate's key manager and its place in the sequence of rotations. */
	private record Generation(int number, X509ExtendedKeyManager manager) {

		String tag(String alias) {
			return (alias != null) ? this.number + String.valueOf(SEPARATOR) + alias : null;
		}

		String[] tagAll(String[] aliases) {
			return (aliases != null) ? Arrays.stream(aliases).map(this::tag).toArray(String[]::new) : null;
		}

	}

}
