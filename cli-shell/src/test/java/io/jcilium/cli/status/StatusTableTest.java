package io.jcilium.cli.status;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatusTableTest {

	@Test
	void showsOneRowPerCheckUnderUpstreamStyleColumns() {
		String table = StatusCommands.table(List.of(HealthCheck.healthy("agent", "http://localhost:9962", "UP"),
				HealthCheck.healthy("agent", "grpc://localhost:4244", "SERVING"),
				HealthCheck.unhealthy("identity", "http://localhost:8281", "DOWN",
						"redis DOWN (Unable to connect to Redis)"),
				HealthCheck.unhealthy("bgp", "http://localhost:8283", HealthCheck.UNREACHABLE,
						"unreachable: connection refused")));

		assertThat(table).isEqualTo("""
				SERVICE    URL                     STATUS        DETAILS
				agent      http://localhost:9962   UP
				agent      grpc://localhost:4244   SERVING
				identity   http://localhost:8281   DOWN          redis DOWN (Unable to connect to Redis)
				bgp        http://localhost:8283   UNREACHABLE   unreachable: connection refused
				""");
	}

}
