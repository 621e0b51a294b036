package io.jcilium.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks every jcilium service must pass once started, as its jar would start: what a
 * deployment relies on (Kubernetes probes, {@code info}, Prometheus scraping, the
 * standard gRPC health check). Each service's smoke test calls the checks that apply to
 * it, so the expectations are written once and cannot drift apart between services.
 */
public final class ServiceSmokeChecks {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int httpPort;

	/**
	 * Checks against the service whose HTTP (actuator) server listens on
	 * {@code 127.0.0.1:httpPort}.
	 * @param httpPort the service's HTTP port
	 */
	public ServiceSmokeChecks(int httpPort) {
		this.httpPort = httpPort;
	}

	/**
	 * Both Kubernetes probes answer 200 with status {@code UP}.
	 * @throws IOException if the service cannot be reached
	 * @throws InterruptedException if interrupted while waiting for an answer
	 */
	public void livenessAndReadinessProbesAreUp() throws IOException, InterruptedException {
		for (String probe : new String[] { "liveness", "readiness" }) {
			HttpResponse<String> response = get("/actuator/health/" + probe);
			assertThat(response.statusCode()).as(probe).isEqualTo(200);
			assertThat(JsonPath.<String>read(response.body(), "$.status")).as(probe).isEqualTo("UP");
		}
	}

	/**
	 * The overall health answers 200 with status {@code UP}.
	 * @throws IOException if the service cannot be reached
	 * @throws InterruptedException if interrupted while waiting for an answer
	 */
	public void healthIsUp() throws IOException, InterruptedException {
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<String>read(response.body(), "$.status")).isEqualTo("UP");
	}

	/**
	 * The overall health answers 503 with status {@code DOWN} because of the named
	 * component alone: that component is {@code DOWN} while the service itself still
	 * answers ({@code ping} is {@code UP}).
	 * @param component the health component expected down, e.g. {@code redis}
	 * @throws IOException if the service cannot be reached
	 * @throws InterruptedException if interrupted while waiting for an answer
	 */
	public void healthIsDownBecauseOf(String component) throws IOException, InterruptedException {
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(JsonPath.<String>read(response.body(), "$.status")).isEqualTo("DOWN");
		assertThat(JsonPath.<String>read(response.body(), "$.components." + component + ".status")).isEqualTo("DOWN");
		assertThat(JsonPath.<String>read(response.body(), "$.components.ping.status")).isEqualTo("UP");
	}

	/**
	 * {@code info} answers 200 and names the service and the artifact it was built as.
	 * @param service the service's name, which is also its Maven artifactId
	 * @throws IOException if the service cannot be reached
	 * @throws InterruptedException if interrupted while waiting for an answer
	 */
	public void infoNamesTheServiceAndItsBuild(String service) throws IOException, InterruptedException {
		HttpResponse<String> response = get("/actuator/info");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<String>read(response.body(), "$.service")).isEqualTo(service);
		assertThat(JsonPath.<String>read(response.body(), "$.build.artifact")).isEqualTo(service);
	}

	/**
	 * Prometheus scraping answers 200 with the text format, JVM and startup metrics, and
	 * the HTTP server metrics of a request made just before.
	 * @throws IOException if the service cannot be reached
	 * @throws InterruptedException if interrupted while waiting for an answer
	 */
	public void prometheusServesMetricsAsText() throws IOException, InterruptedException {
		// A request first, so that the HTTP server metrics have a series to show.
		get("/actuator/info");
		HttpResponse<String> response = get("/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));
		assertThat(response.body()).contains("# TYPE jvm_memory_used_bytes gauge")
			.contains("# TYPE application_ready_time_seconds gauge")
			.containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/actuator/info\"");
	}

	/**
	 * The standard gRPC health check on {@code 127.0.0.1:grpcPort} answers
	 * {@code SERVING}.
	 * @param grpcPort the service's gRPC port
	 * @throws InterruptedException if interrupted while closing the channel
	 */
	public static void grpcHealthCheckAnswersServing(int grpcPort) throws InterruptedException {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
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

	/**
	 * Waits until the standard gRPC health check on {@code 127.0.0.1:grpcPort} answers
	 * {@code expected} for {@code service} ("" is the whole server). The status follows
	 * actuator health on a schedule, so this polls, within a generous bound.
	 * @param grpcPort the service's gRPC port
	 * @param service the health-checked service name, "" for the server
	 * @param expected the status to wait for
	 * @throws InterruptedException if interrupted while waiting
	 */
	public static void awaitGrpcHealth(int grpcPort, String service, ServingStatus expected)
			throws InterruptedException {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
		try {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			Object last = null;
			while (System.nanoTime() < deadline) {
				try {
					last = HealthGrpc.newBlockingStub(channel)
						.withDeadlineAfter(10, TimeUnit.SECONDS)
						.check(HealthCheckRequest.newBuilder().setService(service).build())
						.getStatus();
				}
				catch (StatusRuntimeException ex) {
					last = ex.getStatus();
				}
				if (last == expected) {
					return;
				}
				Thread.sleep(100);
			}
			throw new AssertionError(
					"gRPC health of '" + service + "' answered " + last + ", not " + expected + ", for 60 s");
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	/**
	 * A local port that was free a moment ago and on which nothing listens, for pointing
	 * a client at a dependency that is down (e.g. Redis).
	 * @return the port number
	 * @throws IOException if no port could be reserved
	 */
	public static int portWhereNothingListens() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * A GET of {@code path} on the service, for checks of its own.
	 * @param path the path, starting with {@code /}
	 * @return the response with its body as text
	 * @throws IOException if the service cannot be reached
	 * @throws InterruptedException if interrupted while waiting for an answer
	 */
	public HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A POST of JSON to {@code path} on the service (an actuator write operation).
	 * @param path the path, starting with {@code /}
	 * @param json the request body
	 * @return the response with its body as text
	 * @throws IOException if the service cannot be reached
	 * @throws InterruptedException if interrupted while waiting for an answer
	 */
	public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
