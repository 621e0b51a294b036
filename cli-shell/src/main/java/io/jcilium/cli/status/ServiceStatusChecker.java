package io.jcilium.cli.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.jcilium.cli.services.ClientTls;
import io.jcilium.cli.services.ServiceAddresses.ServiceAddress;

/**
 * Checks every given service over HTTP (actuator) and, where it has one, gRPC (standard
 * health), all at once: a dead cluster costs one timeout, not one per service.
 */
class ServiceStatusChecker {

	/**
	 * @param tls the console's certificate, read only when a service has a gRPC port: a
	 * check of HTTP ports alone needs none
	 */
	List<HealthCheck> check(Map<String, ServiceAddress> services, Duration timeout, ClientTls tls) {
		ActuatorHealthProbe http = new ActuatorHealthProbe(timeout);
		boolean anyGrpc = services.values().stream().anyMatch((address) -> address.grpc() != null);
		GrpcHealthProbe grpc = anyGrpc ? new GrpcHealthProbe(timeout, tls.credentials()) : null;
		List<Supplier<HealthCheck>> checks = new ArrayList<>();
		services.forEach((name, address) -> {
			checks.add(() -> http.check(name, address.url()));
			if (address.grpc() != null) {
				checks.add(() -> grpc.check(name, address.grpc()));
			}
		});
		if (checks.isEmpty()) {
			return List.of();
		}
		ExecutorService pool = Executors.newFixedThreadPool(checks.size(), daemonThreads());
		try {
			List<CompletableFuture<HealthCheck>> running = checks.stream()
				.map((check) -> CompletableFuture.supplyAsync(check, pool))
				.toList();
			// Every probe bounds itself by the timeout, so joining cannot hang.
			return running.stream().map(CompletableFuture::join).toList();
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static ThreadFactory daemonThreads() {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, "status-check-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
