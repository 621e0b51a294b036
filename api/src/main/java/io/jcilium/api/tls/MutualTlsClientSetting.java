package io.jcilium.api.tls;

/**
 * A setting that names the SSL bundle of one of the service's gRPC clients. A service
 * declares one bean per client it starts; with mTLS on ({@code jcilium.tls.enabled}) the
 * service starts only when each names a configured bundle.
 *
 * @param property the setting's name, e.g. {@code jcilium.agent.identity.ssl-bundle}
 */
public record MutualTlsClientSetting(String property) {

}
