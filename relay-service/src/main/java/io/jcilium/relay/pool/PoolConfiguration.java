package io.jcilium.relay.pool;

import io.grpc.ChannelCredentials;
import io.jcilium.api.tls.MutualTls;
import io.jcilium.api.tls.MutualTlsClientSetting;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import io.jcilium.jobs.lifecycle.JobLifecycle;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the pool: one channel per agent (mTLS with {@code jcilium.relay.pool.ssl-bundle},
 * else plaintext), the periodic check as the job {@code hubble-peer-check}, and the
 * pool's gauges.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PoolProperties.class)
public class PoolConfiguration {

	static final String CHECK_JOB = "hubble-peer-check";

	/**
	 * With mTLS on, the relay starts only when its channels to agents have a certificate.
	 */
	@Bean
	MutualTlsClientSetting hubblePoolTlsSetting() {
		return new MutualTlsClientSetting("jcilium.relay.pool.ssl-bundle");
	}

	@Bean(destroyMethod = "close")
	PeerPool hubblePeerPool(PoolProperties properties, ObjectProvider<SslBundles> sslBundles) {
		boolean tls = !MutualTls.isPlaintext(properties.sslBundle());
		ChannelCredentials credentials = MutualTls.channelCredentials(tls ? sslBundles.getObject() : null,
				properties.sslBundle());
		return new PeerPool(
				new AgentDialer(credentials, tls, properties.keepAliveTime(), properties.keepAliveTimeout()),
				properties.settings());
	}

	@Bean
	JobLifecycle hubblePeerCheck(Jobs relayJobs, PeerPool pool, PoolProperties properties) {
		Job check = relayJobs.periodic(CHECK_JOB, properties.checkInterval(),
				Backoff.exponential(properties.checkInterval(), properties.checkInterval().multipliedBy(4)),
				pool::check);
		return new JobLifecycle(check);
	}

	@Bean
	PoolMetrics hubblePoolMetrics(PeerPool pool) {
		return new PoolMetrics(pool);
	}

}
