package io.jcilium.identity.grpc;

import io.jcilium.identity.allocation.IdentityAllocator;

import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Serves the identity API; Spring gRPC picks up the service bean.
 */
@Configuration(proxyBeanMethods = false)
class GrpcConfiguration {

	@Bean
	IdentityGrpcService identityGrpcService(IdentityAllocator identityAllocator) {
		return new IdentityGrpcService(identityAllocator);
	}

	@Bean
	ApplicationListener<ContextClosedEvent> identityWatchesEndOnShutdown(IdentityGrpcService identityGrpcService) {
		// Context close is announced before the gRPC server starts its graceful shutdown,
		// which would otherwise wait for the endless Watch streams.
		return (event) -> identityGrpcService.endWatches();
	}

}
