package io.jcilium.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import io.jcilium.cli.identity.TestIdentityService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interactive shell in a real terminal: the packaged console runs in a tmux session
 * ({@link Terminal}: its own tmux server, its own HOME for the history file) and is typed
 * at with {@code send-keys}, as a person would: tab completion of a command, of an
 * option, and of values from the agent's API (a loopback server answering
 * {@code /actuator/endpointpolicy} in the agent's JSON): endpoint ids, pods and
 * namespaces; a failing command that leaves one line and the prompt, a command working
 * after it, history recall, exit. Waits are bounded generously (the JVM starts slowly on
 * a loaded machine), never timed.
 */
class InteractiveShellIT {

	private static final Duration START = Duration.ofMinutes(3);

	private static final Duration STEP = Duration.ofMinutes(1);

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

	private Terminal terminal;

	private HttpServer agent;

	@BeforeEach
	void start() throws IOException {
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
		if (this.terminal != null) {
			this.terminal.close();
		}
		if (this.identities != null) {
			this.identities.close();
		}
		if (this.agent != null) {
			this.agent.stop(0);
		}
	}

	@Test
	void completesCommandsOptionsAndValuesSurvivesAFailingCommandAndRecallsHistory() throws Exception {
		this.terminal = Terminal.console(this.home, this.identities.property(),
				"--jcilium.services.agent.url=http://127.0.0.1:" + this.agent.getAddress().getPort());
		Terminal console = this.terminal;
		console.await("the prompt", START, (screen) -> screen.contains("jcilium>"));

		// Tab completes the command and lists its sub-commands.
		console.send("ident", "Tab");
		console.await("completion of 'ident'", STEP,
				(screen) -> screen.contains("identity list:") && screen.contains("identity get:"));
		// The word typed is completed on the prompt line, the candidates listed below it.
		assertThat(console.screen()).containsPattern("(?m)^jcilium> identity *$");

		// A failing command: one line saying why, then the prompt again.
		console.send("C-u", "identity get 777", "Enter");
		console.await("the failure of 'identity get 777'", STEP,
				(screen) -> screen.contains("identity 777 not found") && Terminal.lastLine(screen).equals("jcilium>"));
		assertThat(console.screen()).doesNotContain("Exception").doesNotContain("\tat ");

		// The shell still works.
		console.send("identity list", "Enter");
		console.await("the identity table", STEP,
				(screen) -> screen.contains("12345   k8s:app=web") && Terminal.lastLine(screen).equals("jcilium>"));

		// History: the previous command comes back (Ctrl-P, as the Up arrow).
		console.send("C-p");
		console.await("the previous command", STEP,
				(screen) -> Terminal.lastLine(screen).equals("jcilium> identity list"));
		console.send("C-p");
		console.await("the command before it", STEP,
				(screen) -> Terminal.lastLine(screen).equals("jcilium> identity get 777"));

		// Options: a dash lists the command's options, a partly typed one completes.
		console.send("C-u", "endpoint list -", "Tab");
		console.await("the options of 'endpoint list'", STEP,
				(screen) -> after(screen, "jcilium> endpoint list -").contains("--output"));
		console.send("C-u", "policy trace --src-k", "Tab");
		console.await("--src-k8s-pod completed", STEP,
				(screen) -> Terminal.lastLine(screen).equals("jcilium> policy trace --src-k8s-pod"));

		// Endpoint ids come from the agent, each with its pod; a partly typed id
		// completes.
		console.send("C-u", "endpoint get ", "Tab");
		console.await("the endpoint ids of the agent", STEP, (screen) -> screen.contains("shop/web-1")
				&& screen.contains("shop/client") && screen.contains("kube-system/coredns"));
		console.send("C-u", "endpoint get 1", "Tab");
		console.await("endpoint 12 completed", STEP,
				(screen) -> Terminal.lastLine(screen).equals("jcilium> endpoint get 12"));
		console.send("C-u", "bpf policy get ", "Tab");
		console.await("the endpoint ids for bpf policy get", STEP,
				(screen) -> after(screen, "jcilium> bpf policy get").contains("shop/client"));

		// Pods complete as namespace:pod after --src-k8s-pod, narrowed by what was typed.
		console.send("C-u", "policy trace --src-k8s-pod sh", "Tab");
		console.await("the pods of namespace shop", STEP,
				(screen) -> screen.contains("shop:client") && screen.contains("shop:web-1"));
		assertThat(console.screen()).containsPattern("(?m)^jcilium> policy trace --src-k8s-pod shop: *$")
			.doesNotContain("kube-system:coredns");

		// Namespaces complete after hubble observe --namespace.
		console.send("C-u", "hubble observe --namespace ", "Tab");
		console.await("the namespaces of the agent's pods", STEP,
				(screen) -> after(screen, "jcilium> hubble observe --namespace").contains("kube-system")
						&& after(screen, "jcilium> hubble observe --namespace").contains("shop"));
		console.send("C-u", "hubble observe --namespace k", "Tab");
		console.await("kube-system completed", STEP,
				(screen) -> Terminal.lastLine(screen).equals("jcilium> hubble observe --namespace kube-system"));

		console.send("C-u", "exit", "Enter");
		assertThat(console.awaitExit(STEP)).isZero();
	}

	/** What the screen shows below the last line starting with {@code prompt}. */
	private static String after(String screen, String prompt) {
		int at = screen.lastIndexOf(prompt);
		return (at < 0) ? "" : screen.substring(screen.indexOf('\n', at) + 1);
	}

}
