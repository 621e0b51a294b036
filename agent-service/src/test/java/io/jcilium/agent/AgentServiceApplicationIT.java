package io.jcilium.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.Comparator;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import com.jayway.jsonpath.JsonPath;
import com.google.protobuf.Timestamp;
import io.jcilium.agent.hubble.FlowSink;
import io.jcilium.api.hubble.flow.CiliumEventType;
import io.jcilium.api.hubble.flow.DropReason;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.IP;
import io.jcilium.api.hubble.flow.IPVersion;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.TCP;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import io.jcilium.jobs.health.JobHealthIndicator;
import io.jcilium.api.hubble.observer.GetNodesRequest;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.peer.ChangeNotification;
import io.jcilium.api.hubble.peer.NotifyRequest;
import io.jcilium.api.hubble.peer.PeerGrpc;
import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import io.jcilium.testsupport.ServiceSmokeChecks;
import io.jcilium.testsupport.ServiceSmokeTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Starts the whole agent-service on random ports, as its jar would start, and checks what
 * every deployment relies on: the probes, {@code info}, Prometheus metrics and the
 * standard gRPC health check, which follows actuator health. The API server is one where
 * nothing listens, so the test means the same on a developer's machine and in a CI pod.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.grpc.server.port=0", "spring.main.cloud-platform=none" })
class AgentServiceApplicationIT extends ServiceSmokeTests {

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

	@LocalGrpcPort
	int grpcPort;

	@Autowired
	private FlowSink flowSink;

	@Autowired
	Jobs jobs;

	@Autowired
	StatusAggregator statuses;

	@Override
	protected String serviceName() {
		return "agent-service";
	}

	// The API server is down (nothing listens where the client points): the agent runs,
	// and says what it is missing.
	@Test
	void healthReportsTheApiServerDownWhileTheAgentRuns() throws Exception {
		smoke().healthIsDownBecauseOf("apiServer");
	}

	// A background job that keeps failing shows as DEGRADED under `jobs`, with its name
	// and
	// last error, on HTTP 200; the probes stay UP, and DEGRADED ranks between DOWN and
	// UP.
	@Test
	void aFailingJobDegradesHealthWithoutFailingTheProbes() throws Exception {
		String name = "test-failing-" + UUID.randomUUID();
		Job failing = this.jobs.retryUntilSuccess(name,
				Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(1)), () -> {
					throw new IllegalStateException("conntrack map is gone");
				});
		failing.start();
		try {
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (!failing.status().failing() && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			HttpResponse<String> jobs = smoke().get("/actuator/health/jobs");
			assertThat(jobs.statusCode()).isEqualTo(200);
			assertThat(JsonPath.<String>read(jobs.body(), "$.status")).isEqualTo("DEGRADED");
			assertThat(JsonPath.<List<String>>read(jobs.body(), "$.details.failing")).contains(name);
			assertThat(JsonPath.<String>read(jobs.body(), "$.details['" + name + "'].lastError"))
				.isEqualTo("conntrack map is gone");
			smoke().livenessAndReadinessProbesAreUp();
			assertThat(this.statuses.getAggregateStatus(Status.UP, JobHealthIndicator.DEGRADED))
				.isEqualTo(JobHealthIndicator.DEGRADED);
			assertThat(this.statuses.getAggregateStatus(Status.DOWN, JobHealthIndicator.DEGRADED))
				.isEqualTo(Status.DOWN);
		}
		finally {
			failing.stop();
		}
	}

	// A flow the datapath hands to Hubble is counted by upstream's metrics on the agent's
	// Prometheus endpoint, with upstream's names and labels.
	@Test
	void hubbleMetricsCountFlowsOnThePrometheusEndpoint() throws Exception {
		this.flowSink.flow(Flow.newBuilder()
			.setTime(Timestamp.newBuilder().setSeconds(1_764_919_421L))
			.setVerdict(Verdict.DROPPED)
			.setDropReason(133)
			.setDropReasonDesc(DropReason.POLICY_DENIED)
			.setEventType(CiliumEventType.newBuilder().setType(1).setSubType(133))
			.setIP(IP.newBuilder().setSource("10.0.0.3").setDestination("10.0.0.1").setIpVersion(IPVersion.IPv4))
			.setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setSourcePort(40000).setDestinationPort(8080)))
			.build());
		HttpResponse<String> metrics = smoke().get("/actuator/prometheus");
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.body()).contains("hubble_drop_total{protocol=\"TCP\",reason=\"POLICY_DENIED\"} 1.0")
			.contains(
					"hubble_flows_processed_total{protocol=\"TCP\",subtype=\"\",type=\"Drop\",verdict=\"DROPPED\"} 1.0")
			.contains("hubble_metrics_over_label_limit_total{metric=\"hubble_port_distribution_total\"} 0.0");
	}

	// The endpoint policy view is exposed; an endpoint the agent does not have is a 404
	// that says how to find the ones it has.
	@Test
	void endpointPolicyViewIsServedAndNamesAnUnknownEndpoint() throws Exception {
		HttpResponse<String> response = smoke().get("/actuator/endpointpolicy/4242");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("no endpoint 4242 on this node");
	}

	// The service view is exposed for the console's service list; an unknown ID is a 404
	// that says where the IDs are.
	@Test
	void serviceViewIsServedAndNamesAnUnknownId() throws Exception {
		assertThat(smoke().get("/actuator/service").statusCode()).isEqualTo(200);
		HttpResponse<String> response = smoke().get("/actuator/service/4242");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("no service with ID 4242 on this node");
	}

	// Per-policy hits (issue 14 point 6) are exposed for the console, and their cap's
	// counter is on the Prometheus endpoint from the start.
	@Test
	void policyHitsAreServedForTheConsole() throws Exception {
		HttpResponse<String> response = smoke().get("/actuator/policyhits");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).startsWith("[").endsWith("]");
		assertThat(smoke().get("/actuator/prometheus").body()).contains("hubble_policy_rule_over_limit_total 0.0");
	}

	// The policy repository (`policy get`, `policy selectors`) and the configuration
	// (`config`) are exposed; Debug changes while the agent runs, and a read-only option
	// is refused with the reason.
	@Test
	void policyRepositoryAndConfigurationAreServedForTheConsole() throws Exception {
		HttpResponse<String> policy = smoke().get("/actuator/policy");
		assertThat(policy.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<List<?>>read(policy.body(), "$.policy")).isEmpty();
		assertThat(smoke().get("/actuator/policy/selectors").statusCode()).isEqualTo(200);

		HttpResponse<String> config = smoke().get("/actuator/config");
		assertThat(config.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<Integer>read(config.body(), "$.readOnly['jcilium.agent.hubble.ring-capacity']"))
			.isEqualTo(4095);
		try {
			HttpResponse<String> debug = smoke().post("/actuator/config",
					"{\"option\":\"Debug\",\"value\":\"Enabled\"}");
			assertThat(debug.statusCode()).isEqualTo(200);
			assertThat(JsonPath.<String>read(debug.body(), "$.readWrite.Debug")).isEqualTo("Enabled");
			assertThat(org.slf4j.LoggerFactory.getLogger("io.jcilium.agent").isDebugEnabled()).isTrue();
		}
		finally {
			smoke().post("/actuator/config", "{\"option\":\"Debug\",\"value\":\"Disabled\"}");
		}
		HttpResponse<String> readOnly = smoke().post("/actuator/config",
				"{\"option\":\"jcilium.agent.hubble.ring-capacity\",\"value\":\"8191\"}");
		assertThat(readOnly.statusCode()).isEqualTo(400);
		assertThat(readOnly.body()).contains("read-only: set it at start");
	}

	@Test
	void grpcHealthCheckFollowsActuatorHealth() throws Exception {
		ServiceSmokeChecks.awaitGrpcHealth(this.grpcPort, "apiServer", ServingStatus.NOT_SERVING);
		ServiceSmokeChecks.awaitGrpcHealth(this.grpcPort, "", ServingStatus.NOT_SERVING);
	}

	// Hubble's Observer is served beside health, with the default ring.
	@Test
	void observerServesThisNodeOnTheGrpcPort() {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		try {
			ObserverGrpc.ObserverBlockingStub observer = ObserverGrpc.newBlockingStub(channel)
				.withDeadlineAfter(30, TimeUnit.SECONDS);
			ServerStatusResponse status = observer.serverStatus(ServerStatusRequest.getDefaultInstance());
			assertThat(status.getMaxFlows()).isEqualTo(4095);
			assertThat(status.getUptimeNs()).isPositive();
			assertThat(observer.getNodes(GetNodesRequest.getDefaultInstance()).getNodesList()).hasSize(1);
		}
		finally {
			channel.shutdownNow();
		}
	}

	// peer.Peer is served on the same port: with the API server away there is no peer
	// to announce, so the stream stays open (the deadline ends it), and it is never
	// UNIMPLEMENTED.
	@Test
	void peerNotifyIsServedOnTheGrpcPort() {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		try {
			Iterator<ChangeNotification> peers = PeerGrpc.newBlockingStub(channel)
				.withDeadlineAfter(3, TimeUnit.SECONDS)
				.notify(NotifyRequest.getDefaultInstance());
			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(peers::hasNext)
				.extracting((ex) -> ex.getStatus().getCode())
				.isEqualTo(io.grpc.Status.Code.DEADLINE_EXCEEDED);
		}
		finally {
			channel.shutdownNow();
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class UnreachableApiServer {

		@Bean(destroyMethod = "close")
		@Primary
		KubernetesClient unreachableKubernetesClient() throws IOException {
			String url = "http://127.0.0.1:" + ServiceSmokeChecks.portWhereNothingListens();
			return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(url).build()).build();
		}

	}

}
