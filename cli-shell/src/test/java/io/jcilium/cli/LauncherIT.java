package io.jcilium.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code jcilium} launcher as {@code scripts/setup.sh} installs it: a link named
 * {@code jcilium} to {@code scripts/jcilium} in a directory on the PATH, run from a
 * directory outside the checkout, against a loopback server answering the agent's
 * endpoint policy view. A command prints what the in-process tests show and exits 0; a
 * usage error exits 2 and an unreachable agent 1, each with one line on the error stream.
 * The first run prepares the launcher's class cache for the freshly built jar, so the
 * bound is generous.
 */
class LauncherIT {

	private static final long BOUND_SECONDS = 600;

	// The agent's endpoint policy view: served as the golden file -o json prints.
	private static final String VIEW = Golden.read("bpf-policy-get-7.json");

	@TempDir
	Path bin;

	@TempDir
	Path elsewhere;

	private HttpServer agent;

	@BeforeEach
	void start() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.agent.createContext("/actuator/endpointpolicy/7", (exchange) -> {
			byte[] body = VIEW.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.agent.start();
		// What setup.sh does, in a directory of the test's own.
		Files.createSymbolicLink(this.bin.resolve("jcilium"),
				Path.of("..", "scripts", "jcilium").toAbsolutePath().normalize());
	}

	@AfterEach
	void stop() {
		this.agent.stop(0);
	}

	@Test
	void runsFromAnyDirectoryThroughThePathWithUpstreamsExitCodes() throws Exception {
		String agentUrl = "--jcilium.services.agent.url=http://127.0.0.1:" + this.agent.getAddress().getPort();

		Run ok = jcilium(agentUrl, "bpf", "policy", "get", "7", "-o", "json");
		assertThat(ok.exitCode()).as(ok.err()).isEqualTo(ExitCodes.OK);
		assertThat(ok.out()).isEqualTo(Golden.read("bpf-policy-get-7.json"));

		Run usage = jcilium(agentUrl, "bpf", "policy", "get", "web");
		assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(usage.err().strip()).hasLineCount(1)
			.endsWith("ENDPOINT_ID must be a positive endpoint number, not 'web'");

		int closed;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = socket.getLocalPort();
		}
		Run unreachable = jcilium("--jcilium.services.agent.url=http://127.0.0.1:" + closed, "bpf", "policy", "get",
				"7");
		assertThat(unreachable.exitCode()).isEqualTo(ExitCodes.FAILURE);
		assertThat(unreachable.err().strip()).hasLineCount(1).contains("127.0.0.1:" + closed);
		assertThat(unreachable.out()).isEmpty();
	}

	private Run jcilium(String... arguments) throws Exception {
		// Looked up on the PATH given to it, as a shell does (a ProcessBuilder looks its
		// program up on this JVM's PATH).
		List<String> command = new ArrayList<>(List.of("env", "jcilium"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.elsewhere.toFile());
		builder.environment().put("PATH", this.bin + ":" + System.getenv("PATH"));
		Path out = this.elsewhere.resolve("out");
		Path err = this.elsewhere.resolve("err");
		Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
		if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("jcilium " + String.join(" ", arguments) + " did not end within " + BOUND_SECONDS
					+ " s; error stream:\n" + Files.readString(err));
		}
		String errors = Files.readString(err)
			.lines()
			.filter((line) -> !line.startsWith("jcilium: preparing a fast start"))
			.map((line) -> line + "\n")
			.reduce("", String::concat);
		return new Run(process.exitValue(), Files.readString(out), errors);
	}

	private record Run(int exitCode, String out, String err) {

	}

}
