package io.jcilium.api.tls;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;

/**
 * With mTLS on, the check that every gRPC server and client of the service has its
 * certificate: each setting names an SSL bundle, and each bundle is configured. What is
 * missing is named in one line, with what to set, so a jar started without certificates
 * stops at once rather than speaking plaintext or failing every call later.
 */
final class MutualTlsSettingsCheck {

	static final String SERVER_BUNDLE = "spring.grpc.server.ssl.bundle";

	private MutualTlsSettingsCheck() {
	}

	/**
	 * @param setting a setting's value by its name, null when unset
	 * @param server whether the service runs a gRPC server
	 * @param clients the settings naming the clients' bundles
	 * @param bundles the configured bundles, null when there are none
	 * @throws MutualTlsSettingsException naming what is missing
	 */
	static void check(UnaryOperator<String> setting, boolean server, List<MutualTlsClientSetting> clients,
			SslBundles bundles) {
		Set<String> settings = new LinkedHashSet<>();
		if (server) {
			String enabled = setting.apply("spring.grpc.server.ssl.enabled");
			if (enabled != null && !Boolean.parseBoolean(enabled.trim())) {
				throw new MutualTlsSettingsException("mTLS is on (jcilium.tls.enabled) but "
						+ "spring.grpc.server.ssl.enabled=false: remove it, or set jcilium.tls.enabled=false for "
						+ "plaintext (development only)");
			}
			settings.add(SERVER_BUNDLE);
		}
		clients.forEach((client) -> settings.add(client.property()));
		List<String> unnamed = new ArrayList<>();
		Map<String, String> unconfigured = new LinkedHashMap<>();
		for (String name : settings) {
			String bundle = setting.apply(name);
			if (MutualTls.isPlaintext(bundle)) {
				unnamed.add(name);
			}
			else if (!configured(bundles, bundle.trim())) {
				unconfigured.putIfAbsent(bundle.trim(), name);
			}
		}
		if (unnamed.isEmpty() && unconfigured.isEmpty()) {
			return;
		}
		List<String> problems = new ArrayList<>();
		if (!unnamed.isEmpty()) {
			problems.add(String.join(", ", unnamed) + " (name an SSL bundle, e.g. grpc, with "
					+ String.join(", ", bundleSettings("grpc")) + ")");
		}
		unconfigured.forEach((bundle, name) -> problems.add("SSL bundle '" + bundle + "' named by " + name
				+ " is not configured (set " + String.join(", ", bundleSettings(bundle)) + ")"));
		throw new MutualTlsSettingsException("mTLS is on (jcilium.tls.enabled, the default) but certificates are "
				+ "missing: " + String.join("; ", problems)
				+ "; or set jcilium.tls.enabled=false for plaintext (development only)");
	}

	private static boolean configured(SslBundles bundles, String name) {
		if (bundles == null) {
			return false;
		}
		try {
			bundles.getBundle(name);
			return true;
		}
		catch (NoSuchSslBundleException ex) {
			return false;
		}
	}

	private static List<String> bundleSettings(String bundle) {
		String prefix = "spring.ssl.bundle.pem." + bundle + ".";
		return List.of(prefix + "keystore.certificate", prefix + "keystore.private-key",
				prefix + "truststore.certificate");
	}

}
