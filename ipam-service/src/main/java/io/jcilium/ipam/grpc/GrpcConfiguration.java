package io.jcilium.ipam.grpc;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ServerBuilder;
import io.jcilium.api.caller.CallerInterceptor;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.ServerBuilderCustomizer;

/**
 * The gRPC server's side of the IPAM API: a fixed pool of threads for the calls (which
 * wait for Redis), a bound on the calls in flight, and the caller of each call.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IpamGrpcProperties.class)
class GrpcConfiguration {

	@Bean(destroyMethod = "shutdownNow")
	ExecutorService ipamGrpcCalls(IpamGrpcProperties properties) {
		AtomicInteger threads = new AtomicInteger();
		// The queue behind the threads holds at most max-calls-in-flight calls:
		// CallsInFlight
		// refuses the rest before they reach it.
		return Executors.newFixedThreadPool(properties.threads(), (runnable) -> {
			Thread thread = new Thread(runnable, "ipam-grpc-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	@Bean
	<T extends ServerBuilder<T>> ServerBuilderCustomizer<T> ipamGrpcExecutor(ExecutorService ipamGrpcCalls) {
		return (builder) -> builder.executor(ipamGrpcCalls);
	}

	@Bean
	@GlobalServerInterceptor
	CallsInFlight ipamCallsInFlight(IpamGrpcProperties properties) {
		return new CallsInFlight(properties.maxCallsInFlight());
	}

	/**
	 * Makes each call's caller known to the handlers, which authorise by it: the one its
	 * client certificate names when the server speaks TLS (which must then require client
	 * certificates), the one it declares over plaintext.
	 */
	@Bean
	@GlobalServerInterceptor
	CallerInterceptor ipamCallerInterceptor(Environment environment) {
		return CallerInterceptor.forServerSettings(environment::getProperty);
	}

}
