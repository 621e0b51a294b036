package io.jcilium.bgp;

import io.jcilium.testsupport.ServiceSmokeTests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the whole bgp-service on random ports, as its jar would start, and checks what
 * every deployment relies on: the probes, {@code info}, Prometheus metrics. This service
 * is a gRPC client only, so no gRPC server may start.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class BgpServiceApplicationIT extends ServiceSmokeTests {

	@Autowired
	ApplicationContext context;

	@Override
	protected String serviceName() {
		return "bgp-service";
	}

	@Test
	void healthIsUp() throws Exception {
		smoke().healthIsUp();
	}

	@Test
	void startsNoGrpcServer() {
		assertThat(this.context.getBeansOfType(GrpcServerLifecycle.class)).isEmpty();
	}

}
