package io.jcilium.agent.datapath;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The datapath's health indicator ({@code datapath} in {@code /actuator/health} and in
 * the gRPC health check). Wired whether or not the datapath is enabled, so a switched-off
 * datapath reports UNKNOWN with the switch as its reason instead of being absent; it
 * lives here, beside {@link DatapathLifecycle}, because no other feature may depend on
 * the datapath's classes.
 */
@Configuration(proxyBeanMethods = false)
public class DatapathHealthConfiguration {

	@Bean
	DatapathHealthIndicator datapathHealthIndicator(ObjectProvider<DatapathLifecycle> datapath) {
		return new DatapathHealthIndicator(datapath.getIfAvailable());
	}

}
