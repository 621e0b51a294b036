package io.jcilium.relay.peer;

import io.jcilium.api.hubble.peer.PeerGrpc;
import io.jcilium.api.tls.MutualTlsClientSetting;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import io.jcilium.jobs.lifecycle.JobLifecycle;
import io.jcilium.relay.pool.PeerPool;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * Wires peer discovery: the Notify stream on the {@code hubble-peer} channel, run as the
 * job {@code hubble-peer-notify}, feeding the pool.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PeerDiscoveryProperties.class)
public class PeerDiscoveryConfiguration {

	/** The Spring gRPC channel of the peer service. */
	static final String CHANNEL = "hubble-peer";

	static final String NOTIFY_JOB = "hubble-peer-notify";

	/**
	 * With mTLS on, the relay starts only when its peer-service channel has a
	 * certificate.
	 */
	@Bean
	MutualTlsClientSetting hubblePeerTlsSetting() {
		return new MutualTlsClientSetting("spring.grpc.client.channels." + CHANNEL + ".ssl.bundle");
	}

	@Bean
	JobLifecycle hubblePeerNotify(Jobs relayJobs, GrpcChannelFactory channels, PeerPool pool,
			PeerDiscoveryProperties properties) {
		PeerWatcher watcher = new PeerWatcher(PeerGrpc.newBlockingStub(channels.createChannel(CHANNEL)), pool,
				properties.defaultPort());
		Job job = relayJobs.loop(NOTIFY_JOB, Backoff.exponential(properties.retryInitial(), properties.retryMax()),
				watcher);
		watcher.progressTo(job::progressed);
		return new JobLifecycle(job);
	}

}
