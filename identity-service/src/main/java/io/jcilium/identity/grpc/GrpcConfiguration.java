package io.jcilium.identity.grpc;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ServerBuilder;
import io.jcilium.api.caller.CallerInterceptor;
import io.jcilium.identity.allocation.IdentityAllocator;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.ServerBuilderCustomizer;

/**
 * Serves the identity API; Spring gRPC picks up the service bean.
 * <p>
 * Handlers run on the server's transport threads (no hand-off per call, which cost more
 * CPU than an allocation itself): Allocate never waits, the calls that do wait for Redis
 * go to a small bounded pool.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GrpcLimitsProperties.class)
class GrpcConfiguration {

	/** Enough for Redis round trips of a few ms to keep up with agents' calls. */
	private static final int BLOCKING_THREADS = 16;

	/** Beyond this many waiting calls, new ones are refused with RESOURCE_EXHAUSTED. */
	private static final int BLOCKING_QUEUE = 10_000;

	@Bean
	<T extends ServerBuilder<T>> ServerBuilderCustomizer<T> identityGrpcDirectExecutor() {
		return ServerBuilder::directExecutor;
	}

	@Bean(destroyMethod = "shutdownNow")
	ExecutorService identityGrpcBlockingCalls() {
		AtomicInteger threads = new AtomicInteger();
		return new ThreadPoolExecutor(BLOCKING_THREADS, BLOCKING_THREADS, 60, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(BLOCKING_QUEUE), (runnable) -> {
					Thread thread = new Thread(runnable, "identity-grpc-blocking-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
	}

	@Bean
	IdentityGrpcService identityGrpcService(IdentityAllocator identityAllocator,
			ExecutorService identityGrpcBlockingCalls, GrpcLimitsProperties limits) {
		return new IdentityGrpcService(identityAllocator, identityGrpcBlockingCalls, limits);
	}

	/**
	 * Makes each call's caller known to the handlers, which authorise by it: the one its
	 * client certificate names when the server speaks TLS (which must then require client
	 * certificates), the one it declares over plaintext.
	 */
	@Bean
	@GlobalServerInterceptor
	CallerInterceptor identityCallerInterceptor(Environment environment) {
		return CallerInterceptor.forServerSettings(environment::getProperty);
	}

	@Bean
	ApplicationListener<ContextClosedEvent> identityWatchesEndOnShutdown(IdentityGrpcService identityGrpcService) {
		// Context close is announced before the gRPC server starts its graceful shutdown,
		// which would otherwise wait for the endless Watch streams.
		return (event) -> identityGrpcService.endWatches();
	}

}
