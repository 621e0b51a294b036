package io.jcilium.relay.observer;

import java.util.Optional;

import io.jcilium.relay.pool.PeerPool;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the relay's Observer: the threads of its {@code GetFlows} calls and the gRPC
 * service, which Spring gRPC serves on the relay's gRPC port beside health.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ObserverProperties.class)
public class ObserverConfiguration {

	@Bean
	FlowRequests relayFlowRequests(ObserverProperties properties) {
		return new FlowRequests(properties.maxFlowStreams());
	}

	@Bean
	RelayObserverService relayObserverService(PeerPool pool, FlowRequests requests, ObserverProperties properties,
			ObjectProvider<BuildProperties> build) {
		String version = Optional.ofNullable(build.getIfAvailable()).map(BuildProperties::getVersion).orElse("");
		return new RelayObserverService(pool, requests, properties.merge(),
				new ClusterStatus(pool, properties.statusTimeout(), version));
	}

}
