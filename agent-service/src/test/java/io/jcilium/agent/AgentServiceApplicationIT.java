package io.jcilium.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the whole agent-service on random ports, as its jar would start, and checks what
 * every deployment relies on: the probes, {@code info}, Prometheus metrics and the
 * standard gRPC health check. The Kubernetes integration is forced off, so the test means
 * the same inside a CI pod.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.grpc.server.port=0", "spring.main.cloud-platform=none" })
class AgentServiceApplicationIT {

	// The agent's socket and state live in a directory of this run, never in the host's
	// /var/run/jcilium, so the test neither collides with a running agent nor leaves
	// files.
	private static final Path RUN_DIR = createRunDir();

	@DynamicPropertySource
	static void agentPaths(DynamicPropertyRegistry registry) {
		registry.add("jcilium.agent.state-dir", () -> RUN_DIR.resolve("state").toString());
		registry.add("jcilium.agent.cni.socket-path", () -> RUN_DIR.resolve("agent.sock").toString());
	}

	@AfterAll
	static void removeRunDir() throws IOException {
		try (Stream<Path> paths = Files.walk(RUN_DIR)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

	private static Path createRunDir() {
		try {
			return Files.createTempDirectory("jcilium-agent-it-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int httpPort;

	@LocalGrpcPort
	int grpcPort;

	@Test
	void livenessAndReadinessProbesAreUp() throws Exception {
		for (String probe : new String[] { "liveness", "readiness" }) {
			HttpResponse<String> response = get("/actuator/health/" + probe);
			assertThat(response.statusCode()).as(probe).isEqualTo(200);
			assertThat(JsonPath.<String>read(response.body(), "$.status")).as(probe).isEqualTo("UP");
		}
	}

	@Test
	void healthIsUp() throws Exception {
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<String>read(response.body(), "$.status")).isEqualTo("UP");
	}

	@Test
	void infoNamesTheServiceAndItsBuild() throws Exception {
		HttpResponse<String> response = get("/actuator/info");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<String>read(response.body(), "$.service")).isEqualTo("agent-service");
		assertThat(JsonPath.<String>read(response.body(), "$.build.artifact")).isEqualTo("agent-service");
	}

	@Test
	void prometheusServesMetricsAsText() throws Exception {
		get("/actuator/info");
		HttpResponse<String> response = get("/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));
		assertThat(response.body()).contains("# TYPE jvm_memory_used_bytes gauge")
			.contains("# TYPE application_ready_time_seconds gauge")
			.containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/actuator/info\"");
	}

	@Test
	void grpcHealthCheckAnswersServing() throws Exception {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		try {
			ServingStatus status = HealthGrpc.newBlockingStub(channel)
				.withDeadlineAfter(10, TimeUnit.SECONDS)
				.check(HealthCheckRequest.getDefaultInstance())
				.getStatus();
			assertThat(status).isEqualTo(ServingStatus.SERVING);
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
