package io.jcilium.cli.status;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import io.jcilium.cli.ExitCodes;
import io.jcilium.cli.Golden;
import io.jcilium.cli.TestConsole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code status agent --verbose} as a user runs it against a server answering the agent's
 * actuator health while a background job fails: the summary row, then every component and
 * job with its record; the check passes (DEGRADED). With {@code -o json|yaml}, the same
 * checks for scripts, components included.
 */
@ExtendWith(OutputCaptureExtension.class)
class StatusVerboseCommandTest {

	private static final String HEALTH = """
			{"status":"DEGRADED","components":{
			  "datapath":{"status":"UP","details":{"programs":3,"mode":"tc"}},
			  "jobs":{"status":"DEGRADED","details":{"failing":["policy-map-resync"],
			    "policy-map-resync":{"running":true,"runs":4,"failures":2,"lastError":"map write failed: E2BIG",
			      "failuresInARow":2,"lastSuccess":"2026-12-05T23:00:00Z"}}}}}""";

	private HttpServer agent;

	@BeforeEach
	void start() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.agent.createContext("/actuator/health", (exchange) -> {
			byte[] body = HEALTH.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.agent.start();
	}

	@AfterEach
	void stop() {
		this.agent.stop(0);
	}

	@Test
	void verboseListsEveryComponentAndJobWithItsLastError(CapturedOutput output) {
		String url = "http://127.0.0.1:" + this.agent.getAddress().getPort();

		int exitCode = TestConsole.run("--jcilium.services.agent.url=" + url, "--jcilium.services.agent.grpc=",
				"status", "agent", "--verbose");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("SERVICE   URL" + " ".repeat(url.length() - 3) + "   STATUS     DETAILS\n"
				+ "agent     " + url
				+ "   DEGRADED   jobs DEGRADED (failing policy-map-resync: map write failed: E2BIG)\n" + "\n" + "agent "
				+ url + ": DEGRADED\n"
				+ """
						COMPONENT                STATUS     DETAILS
						datapath                 UP         programs=3, mode=tc
						jobs                     DEGRADED   failing: policy-map-resync
						jobs/policy-map-resync   FAILING    4 runs, 2 failures (2 in a row), last error: map write failed: E2BIG, last success 2026-12-05T23:00:00Z
						""");
	}

	@Test
	void jsonAndYamlCarryEveryCheckWithItsComponents(CapturedOutput output) {
		String url = "http://127.0.0.1:" + this.agent.getAddress().getPort();

		int json = TestConsole.run("--jcilium.services.agent.url=" + url, "--jcilium.services.agent.grpc=", "status",
				"agent", "-o", "json");
		int yaml = TestConsole.run("--jcilium.services.agent.url=" + url, "--jcilium.services.agent.grpc=", "status",
				"agent", "--output", "yaml");

		assertThat(json).isEqualTo(ExitCodes.OK);
		assertThat(yaml).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut())
			.isEqualTo((Golden.read("status-agent.json") + Golden.read("status-agent.yaml")).replace("${URL}", url));
	}

	@Test
	void anUnknownOutputFormatIsAUsageError(CapturedOutput output) {
		int exitCode = TestConsole.run("--jcilium.services.agent.url=http://127.0.0.1:1", "status", "-o", "xml");

		assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr().strip()).hasLineCount(1)
			.endsWith("-o 'xml' is not an output format: use one of table, json, yaml");
		assertThat(output.getOut()).isEmpty();
	}

}
