package io.jcilium.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpServer;
import io.jcilium.cli.identity.TestIdentityService;
import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interactive shell in a real terminal: the packaged console runs in a tmux session
 * (its own tmux server, its own HOME for the history file) and is typed at with
 * {@code send-keys}, as a person would: tab completion of a command, of endpoint ids and
 * of pods from the agent's API (a loopback server answering
 * {@code /actuator/endpointpolicy} in the agent's JSON), a failing command that leaves
 * one line and the prompt, a command working after it, history recall, exit. Waits are
 * bounded generously (the JVM starts slowly on a loaded machine), never timed.
 */
class InteractiveShellIT {

	private static final Duration START = Duration.ofMinutes(3);

	private static final Duration STEP = Duration.ofMinutes(1);

	private final String socket = "jcilium-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

	@TempDir
	Path home;

	// The agent's GET /actuator/endpointpolicy, as EndpointEnforcement writes it.
	private static final String ENDPOINTS = """
			[{"endpointId":12,"containerId":"c12","podNamespace":"shop","podName":"web-1","ipv4":"10.0.0.12",
			  "identity":12345,"state":"ready","stateReason":null,"ingressEnforced":true,"egressEnforced":false},
			 {"endpointId":7,"containerId":"c7","podNamespace":"shop","podName":"client","ipv4":"10.0.0.7",
			  "identity":23456,"state":"ready","stateReason":null,"ingressEnforced":true,"egressEnforced":false},
			 {"endpointId":9,"containerId":"c9","podNamespace":"kube-system","podName":"coredns","ipv4":"10.0.0.9",
			  "identity":2,"state":"ready","stateReason":null,"ingressEnforced":false,"egressEnforced":false}]""";

	private TestIdentityService identities;

	private HttpServer agent;

	@BeforeEach
	void start() throws IOException {
		Prerequisites.require(Prerequisites.onPath("tmux"),
				"tmux is needed to drive the interactive shell in a terminal (scripts/setup.sh installs it)");
		this.identities = new TestIdentityService();
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.agent.createContext("/actuator/endpointpolicy", (exchange) -> {
			byte[] body = ENDPOINTS.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.agent.start();
	}

	@AfterEach
	void stop() throws Exception {
		tmux(false, "kill-server");
		if (this.identities != null) {
			this.identities.close();
		}
		if (this.agent != null) {
			this.agent.stop(0);
		}
	}

	@Test
	void completesCommandsSurvivesAFailingCommandAndRecallsHistory() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		tmux(true, "new-session", "-d", "-s", "console", "-x", "200", "-y", "60", "-e", "HOME=" + this.home, "-e",
				"XDG_CONFIG_HOME=" + this.home.resolve(".config"), java, "-jar", consoleJar().toString(),
				TestConsole.PLAINTEXT, this.identities.property(),
				"--jcilium.services.agent.url=http://127.0.0.1:" + this.agent.getAddress().getPort());
		awaitPane("the prompt", START, (pane) -> pane.contains("jcilium>"));

		// Tab completes the command and lists its sub-commands.
		tmux(true, "send-keys", "-t", "console", "ident", "Tab");
		awaitPane("completion of 'ident'", STEP,
				(pane) -> pane.contains("identity list:") && pane.contains("identity get:"));
		// The word typed is completed on the prompt line, the candidates listed below it.
		assertThat(pane()).containsPattern("(?m)^jcilium> identity *$");

		// A failing command: one line saying why, then the prompt again.
		tmux(true, "send-keys", "-t", "console", "C-u", "identity get 777", "Enter");
		awaitPane("the failure of 'identity get 777'", STEP,
				(pane) -> pane.contains("identity 777 not found") && lastLine(pane).equals("jcilium>"));
		assertThat(pane()).doesNotContain("Exception").doesNotContain("\tat ");

		// The shell still works.
		tmux(true, "send-keys", "-t", "console", "identity list", "Enter");
		awaitPane("the identity table", STEP,
				(pane) -> pane.contains("12345   k8s:app=web") && lastLine(pane).equals("jcilium>"));

		// History: the previous command comes back (Ctrl-P, as the Up arrow).
		tmux(true, "send-keys", "-t", "console", "C-p");
		awaitPane("the previous command", STEP, (pane) -> lastLine(pane).equals("jcilium> identity list"));
		tmux(true, "send-keys", "-t", "console", "C-p");
		awaitPane("the command before it", STEP, (pane) -> lastLine(pane).equals("jcilium> identity get 777"));

		// Endpoint ids come from the agent, each with its pod; a partly typed id
		// completes.
		tmux(true, "send-keys", "-t", "console", "C-u", "endpoint get ", "Tab");
		awaitPane("the endpoint ids of the agent", STEP, (pane) -> pane.contains("shop/web-1")
				&& pane.contains("shop/client") && pane.contains("kube-system/coredns"));
		tmux(true, "send-keys", "-t", "console", "C-u", "endpoint get 1", "Tab");
		awaitPane("endpoint 12 completed", STEP, (pane) -> lastLine(pane).matches("jcilium> endpoint get 12"));

		// Pods complete as namespace:pod after --src-k8s-pod, narrowed by what was typed.
		tmux(true, "send-keys", "-t", "console", "C-u", "policy trace --src-k8s-pod sh", "Tab");
		awaitPane("the pods of namespace shop", STEP,
				(pane) -> pane.contains("shop:client") && pane.contains("shop:web-1"));
		assertThat(pane()).containsPattern("(?m)^jcilium> policy trace --src-k8s-pod shop: *$")
			.doesNotContain("kube-system:coredns");

		tmux(true, "send-keys", "-t", "console", "C-u", "exit", "Enter");
		awaitEnd();
	}

	private static Path consoleJar() throws IOException {
		try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "cli-shell-*.jar")) {
			for (Path jar : jars) {
				String name = jar.getFileName().toString();
				if (!name.endsWith("-plain.jar") && !name.endsWith("-sources.jar")) {
					return jar.toAbsolutePath();
				}
			}
		}
		throw new AssertionError("no packaged console in target/: this test runs after 'package' (mvn verify)");
	}

	private void awaitPane(String what, Duration bound, Predicate<String> done) throws Exception {
		long deadline = System.nanoTime() + bound.toNanos();
		String pane = pane();
		while (!done.test(pane)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("no " + what + " within " + bound + "; the terminal shows:\n" + pane);
			}
			Thread.sleep(200);
			pane = pane();
		}
	}

	private void awaitEnd() throws Exception {
		long deadline = System.nanoTime() + STEP.toNanos();
		while (tmux(false, "has-session", "-t", "console").exitCode == 0) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("the shell did not end on 'exit'; the terminal shows:\n" + pane());
			}
			Thread.sleep(200);
		}
	}

	private String pane() throws Exception {
		return tmux(true, "capture-pane", "-p", "-J", "-S", "-200", "-t", "console").output.stripTrailing();
	}

	private static String lastLine(String pane) {
		String[] lines = pane.stripTrailing().split("\n");
		return lines[lines.length - 1].stripTrailing();
	}

	private Result tmux(boolean mustSucceed, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("tmux", "-L", this.socket));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int exitCode = process.waitFor();
		if (mustSucceed && exitCode != 0) {
			throw new AssertionError(String.join(" ", command) + " failed (" + exitCode + "): " + output);
		}
		return new Result(exitCode, output);
	}

	private record Result(int exitCode, String output) {

	}

}
