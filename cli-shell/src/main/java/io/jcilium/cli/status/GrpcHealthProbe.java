package io.jcilium.cli.status;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;

/**
 * Calls the standard {@code grpc.health.v1.Health/Check} for the whole server (empty
 * service name), the same check Kubernetes' gRPC probes and {@code grpc_health_probe}
 * make.
 */
class GrpcHealthProbe {

	private final Duration timeout;

	private final ChannelCredentials credentials;

	GrpcHealthProbe(Duration timeout, ChannelCredentials credentials) {
		this.timeout = timeout;
		this.credentials = credentials;
	}

	HealthCheck check(String service, String target) {
		String address = "grpc://" + target;
		ManagedChannel channel = Grpc.newChannelBuilder(target, this.credentials).build();
		try {
			ServingStatus status = HealthGrpc.newBlockingStub(channel)
				.withDeadlineAfter(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
				.check(HealthCheckRequest.getDefaultInstance())
				.getStatus();
			if (status == ServingStatus.SERVING) {
				return HealthCheck.healthy(service, address, status.name());
			}
			return HealthCheck.unhealthy(service, address, status.name(), "server reports " + status.name());
		}
		catch (StatusRuntimeException ex) {
			return fromFailure(service, address, ex.getStatus());
		}
		finally {
			channel.shutdownNow();
		}
	}

	private HealthCheck fromFailure(String service, String address, Status status) {
		switch (status.getCode()) {
			case UNAVAILABLE:
				return HealthCheck.unhealthy(service, address, HealthCheck.UNREACHABLE,
						(status.getCause() != null) ? Failures.unreachable(status.getCause(), this.timeout)
								: "unreachable: " + status.getDescription());
			case DEADLINE_EXCEEDED:
				return HealthCheck.unhealthy(service, address, HealthCheck.UNREACHABLE,
						"unreachable: no answer within " + this.timeout.toMillis() + " ms");
			case UNIMPLEMENTED:
				return HealthCheck.unhealthy(service, address, HealthCheck.ERROR,
						"no grpc.health.v1.Health service on this port");
			case NOT_FOUND:
				// The server knows no health status for "" (the whole server).
				return HealthCheck.unhealthy(service, address, ServingStatus.SERVICE_UNKNOWN.name(),
						"server reports no overall health status");
			default:
				return HealthCheck.unhealthy(service, address, HealthCheck.ERROR,
						status.getCode() + ((status.getDescription() != null) ? ": " + status.getDescription() : ""));
		}
	}

}
