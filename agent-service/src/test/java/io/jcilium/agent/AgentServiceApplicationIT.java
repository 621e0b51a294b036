package io.jcilium.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import io.jcilium.testsupport.ServiceSmokeChecks;
import io.jcilium.testsupport.ServiceSmokeTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Starts the whole agent-service on random ports, as its jar would start, and checks what
 * every deployment relies on: the probes, {@code info}, Prometheus metrics and the
 * standard gRPC health check. The Kubernetes integration is forced off, so the test means
 * the same inside a CI pod.
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

	@Override
	protected String serviceName() {
		return "agent-service";
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
