package io.jcilium.relay;

import io.jcilium.testsupport.ServiceSmokeChecks;
import io.jcilium.testsupport.ServiceSmokeTests;
import org.junit.jupiter.api.Test;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * Starts the whole relay-service on random ports, as its jar would start, and checks what
 * every deployment relies on: the probes, {@code info}, Prometheus metrics and the
 * standard gRPC health check.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "spring.grpc.server.port=0" })
class RelayServiceApplicationIT extends ServiceSmokeTests {

	@LocalGrpcPort
	int grpcPort;

	@Override
	protected String serviceName() {
		return "relay-service";
	}

	@Test
	void healthIsUp() throws Exception {
		smoke().healthIsUp();
	}

	@Test
	void grpcHealthCheckAnswersServing() throws Exception {
		ServiceSmokeChecks.grpcHealthCheckAnswersServing(this.grpcPort);
	}

}
