package io.jcilium.agent.service.healthcheck;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.service.lb.ServiceName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Health-check node ports over real HTTP: the answer follows the local backend count (200
 * with backends, 503 without), the server moves with the port and goes with the health
 * check, and a port already taken is reported without stopping the others.
 */
class HealthCheckServersIT {

	private static final ServiceName WEB = new ServiceName("shop", "web");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final HealthCheckServers servers = new HealthCheckServers();

	@AfterEach
	void close() {
		this.servers.close();
	}

	@Test
	void answersWithTheLocalBackendCountAsUpstreamDoes() throws Exception {
		int port = freePort();
		this.servers.update(WEB, new HealthCheck(port, 2));
		HttpResponse<String> healthy = get(port, "/");
		assertThat(healthy.statusCode()).isEqualTo(200);
		assertThat(healthy.body())
			.isEqualTo("{\"service\":{\"namespace\":\"shop\",\"name\":\"web\"},\"localEndpoints\":2}");
		assertThat(healthy.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(healthy.headers().firstValue("X-Load-Balancing-Endpoint-Weight")).hasValue("2");

		this.servers.update(WEB, new HealthCheck(port, 0));
		HttpResponse<String> empty = get(port, "/healthz");
		assertThat(empty.statusCode()).as("no backend on this node: an outside LB must not send here").isEqualTo(503);
		assertThat(empty.body()).endsWith("\"localEndpoints\":0}");
	}

	@Test
	void theServerMovesWithThePortAndGoesWithTheHealthCheck() throws Exception {
		int first = freePort();
		int second = freePort();
		this.servers.update(WEB, new HealthCheck(first, 1));
		assertThat(get(first, "/").statusCode()).isEqualTo(200);
		this.servers.update(WEB, new HealthCheck(second, 1));
		assertThat(get(second, "/").statusCode()).isEqualTo(200);
		assertThatThrownBy(() -> get(first, "/")).isInstanceOf(ConnectException.class);
		this.servers.update(WEB, null);
		assertThat(this.servers.ports()).isEmpty();
		assertThatThrownBy(() -> get(second, "/")).isInstanceOf(ConnectException.class);
	}

	@Test
	void aPortAlreadyTakenIsSkippedAndTheOthersServe() throws Exception {
		try (ServerSocket taken = new ServerSocket(0)) {
			ServiceName other = new ServiceName("shop", "other");
			int free = freePort();
			this.servers.update(WEB, new HealthCheck(taken.getLocalPort(), 1));
			this.servers.update(other, new HealthCheck(free, 3));
			assertThat(this.servers.ports()).isEqualTo(Map.of(other, free));
			assertThat(get(free, "/").body()).endsWith("\"localEndpoints\":3}");
		}
	}

	private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
