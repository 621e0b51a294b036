package io.jcilium.api.tls;

import io.jcilium.api.caller.CallerInterceptor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * mTLS between the services, for every service that has this module: SSL bundles whose
 * managers follow certificate rotations ({@link FollowingSslBundles}, primary, so Spring
 * gRPC's server and channels take them), and a gRPC server that speaks TLS must require
 * client certificates. With mTLS on ({@code jcilium.tls.enabled}, the default) a service
 * starts only when its gRPC server and every client it declares
 * ({@link MutualTlsClientSetting}) have a configured bundle.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@EnableConfigurationProperties(MutualTlsProperties.class)
public class MutualTlsAutoConfiguration {

	/** Spring Boot's own registry of bundles ({@link SslAutoConfiguration}). */
	static final String REGISTRY = "sslBundleRegistry";

	@Bean
	@Primary
	@ConditionalOnBean(name = REGISTRY)
	FollowingSslBundles followingSslBundles(@Qualifier(REGISTRY) SslBundles registry) {
		return new FollowingSslBundles(registry);
	}

	/**
	 * Refuses to start a gRPC server with TLS but without required client certificates: a
	 * caller without a certificate of the cluster's CA must get nothing done.
	 * @param environment the settings
	 * @return a marker of the check
	 */
	@Bean
	@ConditionalOnBooleanProperty(name = "spring.grpc.server.enabled", matchIfMissing = true)
	ServerTlsChecked grpcServerTlsChecked(Environment environment) {
		return new ServerTlsChecked(CallerInterceptor.forServerSettings(environment::getProperty).usesCertificates());
	}

	/**
	 * Refuses to start with mTLS on and a certificate missing, once every bean exists (a
	 * bundle may be registered by a bean) and before any server or channel starts.
	 * @param properties whether mTLS is on
	 * @param environment the settings
	 * @param clients the settings naming the clients' bundles
	 * @param bundles the configured bundles
	 * @return the check
	 */
	@Bean
	SmartInitializingSingleton mutualTlsSettingsCheck(MutualTlsProperties properties, Environment environment,
			ObjectProvider<MutualTlsClientSetting> clients, ObjectProvider<SslBundles> bundles) {
		return () -> {
			if (properties.enabled()) {
				boolean server = environment.getProperty("spring.grpc.server.enabled", Boolean.class, true);
				MutualTlsSettingsCheck.check(environment::getProperty, server, clients.orderedStream().toList(),
						bundles.getIfAvailable());
			}
		};
	}

	/**
	 * The outcome of the server's TLS check.
	 *
	 * @param mutualTls whether the server requires client certificates (else it speaks
	 * plaintext)
	 */
	public record ServerTlsChecked(boolean mutualTls) {

	}

}
