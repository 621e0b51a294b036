package io.jcilium.identity.grpc;

import io.jcilium.identity.allocation.IdentityAllocator;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves the identity API; Spring gRPC picks up the service bean.
 */
@Configuration(proxyBeanMethods = false)
class GrpcConfiguration {

	@Bean
	IdentityGrpcService identityGrpcService(IdentityAllocator identityAllocator) {
		return new IdentityGrpcService(identityAllocator);
	}

}
