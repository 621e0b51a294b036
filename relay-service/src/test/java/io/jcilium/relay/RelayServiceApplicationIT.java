package io.jcilium.relay;

import io.jcilium.testsupport.ServiceSmokeChecks;
import org.junit.jupiter.api.Test;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Starts the whole relay-service on random ports, as its jar would start, and checks what
 * every deployment relies on: the probes, {@code info}, Prometheus metrics and the
 * standard gRPC health check.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "spring.grpc.server.port=0" })
class RelayServiceApplicationIT {

	@LocalServerPort
	int httpPort;

	@LocalGrpcPort
	int grpcPort;

	@Test
	void livenessAndReadinessProbesAreUp() throws Exception {
		smoke().livenessAndReadinessProbesAreUp();
	}

	@Test
	void healthIsUp() throws Exception {
		smoke().healthIsUp();
	}

	@Test
	void infoNamesTheServiceAndItsBuild() throws Exception {
		smoke().infoNamesTheServiceAndItsBuild("relay-service");
	}

	@Test
	void prometheusServesMetricsAsText() throws Exception {
		smoke().prometheusServesMetricsAsText();
	}

	@Test
	void grpcHealthCheckAnswersServing() throws Exception {
		ServiceSmokeChecks.grpcHealthCheckAnswersServing(this.grpcPort);
	}

	private ServiceSmokeChecks smoke() {
		return new ServiceSmokeChecks(this.httpPort);
	}

}
