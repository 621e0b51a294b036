package io.jcilium.relay.pool;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import io.jcilium.jobs.lifecycle.JobLifecycle;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the pool: one plaintext channel per agent (the agents serve plaintext), the
 * periodic check as the job {@code hubble-peer-check}, and the pool's gauges.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PoolProperties.class)
public class PoolConfiguration {

	static final String CHECK_JOB = "hubble-peer-check";

	@Bean(destroyMethod = "close")
	PeerPool hubblePeerPool(PoolProperties properties) {
		return new PeerPool(
				(peer) -> Grpc.newChannelBuilder(peer.address(), InsecureChannelCredentials.create()).build(),
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
