package io.jcilium.agent.identity;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.jcilium.agent.policy.PolicyUpdates;
import io.jcilium.api.tls.MutualTlsClientSetting;
import io.jcilium.identity.client.IdentityClient;
import io.jcilium.identity.client.IdentityClientMetrics;
import io.jcilium.jobs.Jobs;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Wires the identity cell: the identity client (started with the agent, never blocking
 * its start), the resolver that gives endpoints their identity, and the feed of
 * identities into the policy. With {@code jcilium.agent.identity.enabled=false} none of
 * this exists and the endpoint cell's stand-in gives every endpoint {@code init}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "jcilium.agent.identity", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(IdentityProperties.class)
public class IdentityConfiguration {

	/** With mTLS on, the agent starts only when its identity client has a certificate. */
	@Bean
	MutualTlsClientSetting identityClientTlsSetting() {
		return new MutualTlsClientSetting("jcilium.agent.identity.ssl-bundle");
	}

	@Bean
	IdentityClient identityClient(IdentityProperties properties, ObjectProvider<SslBundles> sslBundles) {
		if (properties.sslBundle() == null || properties.sslBundle().isBlank()) {
			return IdentityClient.create(properties.toSettings());
		}
		SslManagerBundle managers = sslBundles.getObject().getBundle(properties.sslBundle()).getManagers();
		ChannelCredentials mtls = TlsChannelCredentials.newBuilder()
			.keyManager(managers.getKeyManagerFactory().getKeyManagers())
			.trustManager(managers.getTrustManagerFactory().getTrustManagers())
			.build();
		return IdentityClient.create(properties.toSettings(), mtls);
	}

	@Bean
	IdentityClientLifecycle identityClientLifecycle(IdentityClient identityClient,
			ObjectProvider<PolicyUpdates> policyUpdates) {
		return new IdentityClientLifecycle(identityClient, policyUpdates);
	}

	// Primary: the endpoint cell defines its stand-in resolver when it sees none, and
	// may be processed before this configuration.
	@Bean
	@Primary
	ServiceIdentityResolver serviceIdentityResolver(IdentityClient identityClient, Jobs agentJobs) {
		return new ServiceIdentityResolver(identityClient, identityClient.settings().node(), agentJobs);
	}

	@Bean
	IdentityClientMetrics identityClientMetrics(IdentityClient identityClient) {
		return new IdentityClientMetrics(identityClient);
	}

}
