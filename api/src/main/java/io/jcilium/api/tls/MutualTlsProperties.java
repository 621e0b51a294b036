package io.jcilium.api.tls;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whether the services speak mTLS ({@code jcilium.tls.*}).
 *
 * @param enabled true (the default): every gRPC server and client of the service needs
 * its SSL bundle, and the service does not start without one; false: plaintext where no
 * bundle is named, a development setting
 */
@ConfigurationProperties("jcilium.tls")
public record MutualTlsProperties(@DefaultValue("true") boolean enabled) {

}
