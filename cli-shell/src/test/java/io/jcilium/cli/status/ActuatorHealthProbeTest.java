package io.jcilium.cli.status;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP half of {@code status} against a tiny local server that answers the way
 * actuator does (or does not).
 */
class ActuatorHealthProbeTest {

	private static final String REDIS_DOWN = """
			{"status":"DOWN","components":{
			  "ping":{"status":"UP"},
			  "redis":{"status":"DOWN","details":{"error":"org.springframework.data.redis.RedisConnectionFailureException: Unable to connect to Redis"}},
			  "readinessState":{"status":"UP"}}}""";

	/** Long enough for a cold JVM on a busy machine; no passing check waits for it. */
	private static final Duration GENEROUS = Duration.ofSeconds(30);

	private HttpServer server;

	private final CountDownLatch release = new CountDownLatch(1);

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.release.countDown();
		this.server.stop(0);
	}

	@Test
	void anUpServiceIsHealthyWithoutDetails() {
		answer("/actuator/health", 200, "{\"status\":\"UP\",\"components\":{\"ping\":{\"status\":\"UP\"}}}");

		HealthCheck check = probe(GENEROUS).check("relay", baseUrl());

		assertThat(check).isEqualTo(
				new HealthCheck("relay", baseUrl().toString(), "UP", "", true, List.of(List.of("ping", "UP", ""))));
	}

	@Test
	void aDownServiceNamesTheComponentsThatAreNotUpWithTheirError() {
		answer("/actuator/health", 503, REDIS_DOWN);

		HealthCheck check = probe(GENEROUS).check("identity", baseUrl());

		assertThat(check.healthy()).isFalse();
		assertThat(check.status()).isEqualTo("DOWN");
		assertThat(check.details()).isEqualTo("redis DOWN (Unable to connect to Redis)");
	}

	@Test
	void aDownAgentNamesTheDependencyThatIsDownWithItsReason() {
		// What the agent's indicators (io.jcilium.agent.health) answer with identity-
		// service down and the datapath switched off.
		answer("/actuator/health", 503,
				"""
						{"status":"DOWN","components":{
						  "apiServer":{"status":"UP","details":{"server":"https://10.96.0.1/","version":"v1.32.0"}},
						  "datapath":{"status":"UNKNOWN","details":{"reason":"disabled (jcilium.datapath.enabled=false)"}},
						  "identityService":{"status":"DOWN","details":{"reason":"identity-service is not answering since 2026-12-05T08:00:00Z (UNAVAILABLE)","target":"static://identity:9281","circuitBreaker":"OPEN","watchReconnects":3}},
						  "ping":{"status":"UP"}}}""");

		HealthCheck check = probe(GENEROUS).check("agent", baseUrl());

		assertThat(check.healthy()).isFalse();
		assertThat(check.details()).isEqualTo(
				"identityService DOWN (identity-service is not answering since 2026-12-05T08:00:00Z (UNAVAILABLE))");
	}

	@Test
	void aDegradedAgentPassesAndNamesTheFailingJobWithItsLastError() {
		// What the agent's jobs indicator (jobs' JobHealthIndicator.degradedWhileFailing)
		// answers while one background job retries.
		answer("/actuator/health", 200,
				"""
						{"status":"DEGRADED","components":{
						  "apiServer":{"status":"UP"},
						  "jobs":{"status":"DEGRADED","details":{"failing":["ipcache-retry"],
						    "conntrack-gc":{"running":true,"runs":12,"failures":0},
						    "ipcache-retry":{"running":true,"runs":3,"failures":3,"lastError":"2 prefixes not written: map full","failuresInARow":3}}},
						  "ping":{"status":"UP"}}}""");

		HealthCheck check = probe(GENEROUS).check("agent", baseUrl());

		assertThat(check.healthy()).isTrue();
		assertThat(check.status()).isEqualTo("DEGRADED");
		assertThat(check.details())
			.isEqualTo("jobs DEGRADED (failing ipcache-retry: 2 prefixes not written: map full)");
		// status --verbose: every component, and every job with its record.
		assertThat(HealthTree.render(check.components())).isEqualTo(
				"""
						COMPONENT            STATUS     DETAILS
						apiServer            UP
						jobs                 DEGRADED   failing: ipcache-retry
						jobs/conntrack-gc    OK         12 runs, 0 failures, never succeeded
						jobs/ipcache-retry   FAILING    3 runs, 3 failures (3 in a row), last error: 2 prefixes not written: map full, never succeeded
						ping                 UP
						""");
	}

	@Test
	void nestedComponentsAreNamedByTheirPath() {
		answer("/actuator/health", 503, """
				{"status":"OUT_OF_SERVICE","components":{"peers":{"status":"OUT_OF_SERVICE","components":{
				  "node-a":{"status":"UP"},"node-b":{"status":"OUT_OF_SERVICE"}}}}}""");

		HealthCheck check = probe(GENEROUS).check("relay", baseUrl());

		assertThat(check.status()).isEqualTo("OUT_OF_SERVICE");
		assertThat(check.details()).isEqualTo("peers/node-b OUT_OF_SERVICE");
		assertThat(HealthTree.render(check.components())).isEqualTo("""
				COMPONENT      STATUS           DETAILS
				peers          OUT_OF_SERVICE
				peers/node-a   UP
				peers/node-b   OUT_OF_SERVICE
				""");
	}

	@Test
	void somethingOtherThanActuatorIsAnError() {
		answer("/actuator/health", 404, "<html>Not Found</html>");

		HealthCheck check = probe(GENEROUS).check("bgp", baseUrl());

		assertThat(check.healthy()).isFalse();
		assertThat(check.status()).isEqualTo(HealthCheck.ERROR);
		assertThat(check.details()).isEqualTo("HTTP 404 without an actuator health report");
	}

	@Test
	void aBaseUrlWithAPathKeepsItsPath() {
		answer("/identity/actuator/health", 200, "{\"status\":\"UP\"}");

		HealthCheck check = probe(GENEROUS).check("identity", URI.create(baseUrl() + "/identity/"));

		assertThat(check.status()).isEqualTo("UP");
	}

	@Test
	void aRefusedConnectionIsUnreachable() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}

		HealthCheck check = probe(GENEROUS).check("agent", URI.create("http://127.0.0.1:" + closedPort));

		assertThat(check.status()).isEqualTo(HealthCheck.UNREACHABLE);
		assertThat(check.details()).isEqualTo("unreachable: connection refused");
	}

	@Test
	void anUnknownHostIsUnreachable() {
		// .invalid never resolves (RFC 2606).
		HealthCheck check = probe(GENEROUS).check("agent", URI.create("http://no-such-host.invalid:9962"));

		assertThat(check.status()).isEqualTo(HealthCheck.UNREACHABLE);
		assertThat(check.details()).isEqualTo("unreachable: unknown host");
	}

	@Test
	void aServiceThatDoesNotAnswerInTimeIsUnreachable() {
		AtomicBoolean answered = new AtomicBoolean();
		this.server.createContext("/actuator/health", (exchange) -> {
			try {
				// Holds the request until the test ends (generous bound for safety).
				this.release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			answered.set(true);
			exchange.close();
		});

		HealthCheck check = probe(Duration.ofMillis(300)).check("agent", baseUrl());

		// The probe gave up on its own while the server still held the request.
		assertThat(answered).isFalse();
		assertThat(check.status()).isEqualTo(HealthCheck.UNREACHABLE);
		assertThat(check.details()).isEqualTo("unreachable: no answer within 300 ms");
	}

	private static ActuatorHealthProbe probe(Duration timeout) {
		return new ActuatorHealthProbe(timeout);
	}

	private URI baseUrl() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	private void answer(String path, int status, String json) {
		this.server.createContext(path, (exchange) -> {
			byte[] body = json.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, body.length);
			try (OutputStream stream = exchange.getResponseBody()) {
				stream.write(body);
			}
		});
	}

}
