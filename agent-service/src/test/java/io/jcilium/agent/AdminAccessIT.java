package io.jcilium.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's HTTP port as an attacker on the node's network sees it (issue 17 point 5):
 * the agent runs on the host network, so its port is on every address of the node. From
 * another network namespace, over a veth pair to an address of this host, only
 * {@code GET /actuator/prometheus} answers; the configuration write, every admin view and
 * health are refused, also with a forwarded-for header naming loopback (Spring Boot
 * trusts those headers on Kubernetes; the test turns that on). From loopback everything
 * answers, as the console, the scripts and the probes ({@code host: 127.0.0.1}) need.
 * Needs root, iproute2 and curl.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "spring.grpc.server.port=0",
		"spring.main.cloud-platform=none", "server.forward-headers-strategy=native" })
class AdminAccessIT {

	private static final String RUN = Long.toHexString(System.nanoTime() & 0xffffffL);

	private static final String NAMESPACE = "jcadm" + RUN;

	private static final String HOST_LINK = "jcadm" + RUN + "h";

	// An address pair of the benchmarking range (RFC 2544), random per run so that two
	// runs
	// at once do not share a subnet.
	private static final int SUBNET = ThreadLocalRandom.current().nextInt(0, 512 * 64) * 4;

	private static final String HOST_ADDRESS = address(SUBNET + 1);

	private static final String ATTACKER_ADDRESS = address(SUBNET + 2);

	private static final Path RUN_DIR = createRunDir();

	private static final List<String> ADMIN_READS = List.of("/actuator/config", "/actuator/bpf", "/actuator/policy",
			"/actuator/policy/selectors", "/actuator/policytrace?src-k8s-pod=a:b&dst-k8s-pod=c:d",
			"/actuator/endpointpolicy", "/actuator/service", "/actuator/nodes", "/actuator/policyhits",
			"/actuator/identitycardinality", "/actuator/info", "/actuator/health", "/actuator/health/liveness",
			"/actuator/health/readiness", "/actuator");

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void agentPaths(DynamicPropertyRegistry registry) {
		registry.add("jcilium.agent.state-dir", () -> RUN_DIR.resolve("state").toString());
		registry.add("jcilium.agent.cni.socket-path", () -> RUN_DIR.resolve("agent.sock").toString());
	}

	@BeforeAll
	static void attackerNamespace() throws IOException {
		Prerequisites.requireRootAnd("ip", "curl");
		ok("ip", "netns", "add", NAMESPACE);
		ok("ip", "link", "add", HOST_LINK, "type", "veth", "peer", "name", "eth0", "netns", NAMESPACE);
		ok("ip", "addr", "add", HOST_ADDRESS + "/30", "dev", HOST_LINK);
		ok("ip", "link", "set", HOST_LINK, "up");
		ok("ip", "-n", NAMESPACE, "addr", "add", ATTACKER_ADDRESS + "/30", "dev", "eth0");
		ok("ip", "-n", NAMESPACE, "link", "set", "eth0", "up");
		ok("ip", "-n", NAMESPACE, "link", "set", "lo", "up");
	}

	@AfterAll
	static void cleanUp() throws IOException {
		try {
			// Deleting the namespace deletes its end of the pair and with it the host's
			// end.
			run(List.of("ip", "netns", "del", NAMESPACE));
			if (Files.exists(Path.of("/sys/class/net", HOST_LINK))) {
				run(List.of("ip", "link", "del", HOST_LINK));
			}
		}
		finally {
			try (Stream<Path> paths = Files.walk(RUN_DIR)) {
				paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
	}

	@Test
	void fromAnotherNamespaceOnlyTheMetricsAnswer() throws Exception {
		Answer metrics = fromAttacker("GET", "/actuator/prometheus");
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("jvm_memory_used_bytes");

		Answer write = fromAttacker("POST", "/actuator/config", "-H", "Content-Type: application/json", "--data",
				"{\"option\":\"Debug\",\"value\":\"Enabled\"}");
		assertThat(write.status()).isEqualTo(403);
		assertThat(write.body()).isEqualTo("POST /actuator/config answers only on loopback "
				+ "(jcilium.admin.access=loopback); from other addresses only GET of /actuator/prometheus\n");
		// Nothing changed.
		assertThat(fromLoopback("GET", "/actuator/config").body()).contains("\"Debug\":\"Disabled\"");

		for (String path : ADMIN_READS) {
			assertThat(fromAttacker("GET", path).status()).as("GET %s from %s", path, ATTACKER_ADDRESS).isEqualTo(403);
		}
	}

	@Test
	void aForwardedForHeaderNamingLoopbackGetsNothing() throws Exception {
		assertThat(fromAttacker("GET", "/actuator/config", "-H", "X-Forwarded-For: 127.0.0.1").status()).isEqualTo(403);
		assertThat(fromAttacker("POST", "/actuator/config", "-H", "X-Forwarded-For: 127.0.0.1", "-H",
				"Content-Type: application/json", "--data", "{\"option\":\"Debug\",\"value\":\"Enabled\"}")
			.status()).isEqualTo(403);
	}

	@Test
	void fromLoopbackEverythingAnswers() throws Exception {
		for (String path : ADMIN_READS) {
			assertThat(fromLoopback("GET", path).status()).as("GET %s from loopback", path).isNotEqualTo(403);
		}
		assertThat(fromLoopback("GET", "/actuator/health/liveness").status()).isEqualTo(200);
		assertThat(fromLoopback("GET", "/actuator/prometheus").status()).isEqualTo(200);
		Answer write = fromLoopback("POST", "/actuator/config", "-H", "Content-Type: application/json", "--data",
				"{\"option\":\"Debug\",\"value\":\"Disabled\"}");
		assertThat(write.status()).isEqualTo(200);
		assertThat(write.body()).contains("\"Debug\":\"Disabled\"");
	}

	private record Answer(int status, String body) {
	}

	private Answer fromAttacker(String method, String path, String... options) throws IOException {
		List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", NAMESPACE));
		command.addAll(curl(method, "http://" + HOST_ADDRESS + ":" + this.port + path, options));
		return answer(command);
	}

	private Answer fromLoopback(String method, String path, String... options) throws IOException {
		return answer(curl(method, "http://127.0.0.1:" + this.port + path, options));
	}

	private static List<String> curl(String method, String url, String... options) {
		List<String> command = new ArrayList<>(
				List.of("curl", "-s", "--max-time", "10", "-X", method, "-w", "\n%{http_code}"));
		command.addAll(List.of(options));
		command.add(url);
		return command;
	}

	private static Answer answer(List<String> command) throws IOException {
		String output = run(command);
		int lastLine = output.lastIndexOf('\n');
		assertThat(lastLine).as("curl answered: %s", output).isGreaterThanOrEqualTo(0);
		return new Answer(Integer.parseInt(output.substring(lastLine + 1).strip()), output.substring(0, lastLine));
	}

	private static void ok(String... command) throws IOException {
		Process process = start(List.of(command));
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (waitFor(process) != 0) {
			throw new IOException(String.join(" ", command) + " failed: " + output);
		}
	}

	private static String run(List<String> command) throws IOException {
		Process process = start(command);
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		waitFor(process);
		return output;
	}

	private static Process start(List<String> command) throws IOException {
		return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
	}

	private static int waitFor(Process process) throws IOException {
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(process.info().commandLine().orElse("a command") + " did not finish in 30 s");
			}
			return process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
	}

	private static String address(int offset) {
		// 198.18.0.0/15
		return "198." + (18 + (offset >> 16)) + "." + ((offset >> 8) & 0xff) + "." + (offset & 0xff);
	}

	private static Path createRunDir() {
		try {
			return Files.createTempDirectory("jcilium-admin-access-it-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
