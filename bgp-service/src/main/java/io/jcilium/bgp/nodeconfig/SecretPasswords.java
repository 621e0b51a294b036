package io.jcilium.bgp.nodeconfig;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Peer passwords from Secrets in the BGP secrets namespace, as upstream reads them (key
 * {@code password}). Each reconciliation reads them afresh, so a changed password reaches
 * the session at the next resync.
 */
final class SecretPasswords implements PeerPasswords {

	static final String PASSWORD_KEY = "password";

	private final KubernetesClient client;

	private final String namespace;

	SecretPasswords(KubernetesClient client, String namespace) {
		this.client = client;
		this.namespace = namespace;
	}

	@Override
	public Lookup password(String secretName) {
		String what = "Secret " + this.namespace + "/" + secretName;
		Secret secret;
		try {
			secret = this.client.secrets().inNamespace(this.namespace).withName(secretName).get();
		}
		catch (KubernetesClientException ex) {
			return Lookup.problem(what + " cannot be read: " + ex.getMessage());
		}
		if (secret == null) {
			return Lookup.problem(what + " does not exist");
		}
		String encoded = Objects.requireNonNullElse(secret.getData(), Map.<String, String>of()).get(PASSWORD_KEY);
		if (encoded == null) {
			return Lookup.problem(what + " has no key " + PASSWORD_KEY);
		}
		try {
			return Lookup.of(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
		}
		catch (IllegalArgumentException ex) {
			return Lookup.problem(what + " key " + PASSWORD_KEY + " is not base64");
		}
	}

}
