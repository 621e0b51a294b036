package io.jcilium.cli.services;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the console reaches each jcilium service, keyed by a short name ({@code agent},
 * {@code identity}, ...) that commands and users refer to. Bound from
 * {@code jcilium.services.<name>.url} and {@code .grpc}, so one environment variable such
 * as {@code JCILIUM_SERVICES_RELAY_GRPC=relay:4245} moves one address.
 *
 * @param services the addresses, in configuration order
 * @param tls the console's certificate for the gRPC ports ({@code jcilium.tls.*}); none:
 * plaintext
 */
@ConfigurationProperties("jcilium")
public record ServiceAddresses(Map<String, ServiceAddress> services, ClientTls tls) {

	public ServiceAddresses {
		services = (services != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(services)) : Map.of();
		tls = (tls != null) ? tls : ClientTls.unset();
	}

	/**
	 * One service's addresses.
	 *
	 * @param url HTTP base URL; actuator lives under {@code actuator/} below it
	 * @param grpc gRPC target as {@code host:port}, or {@code null} for a service without
	 * a gRPC server
	 */
	public record ServiceAddress(URI url, String grpc) {

		public ServiceAddress {
			if (url == null) {
				throw new IllegalArgumentException(
						"a service needs a 'url' (its HTTP base, e.g. http://localhost:8281)");
			}
			if (grpc != null && grpc.isBlank()) {
				grpc = null;
			}
		}

	}

}
