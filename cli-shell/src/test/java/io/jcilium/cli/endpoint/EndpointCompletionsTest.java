package io.jcilium.cli.endpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.services.ServiceAddresses.ServiceAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tab completion from the agent's endpoints, against a local server answering
 * {@code /actuator/endpointpolicy} as the agent does: endpoint ids with their pods, pods
 * in the form each option takes, namespaces, and nothing (rather than an error or a wait)
 * when the agent does not answer.
 */
class EndpointCompletionsTest {

	// The agent's GET /actuator/endpointpolicy (EndpointEnforcement), with an endpoint
	// whose pod the agent does not know.
	private static final String ENDPOINTS = """
			[{"endpointId":12,"containerId":"c12","podNamespace":"shop","podName":"web-1","ipv4":"10.0.0.12",
			  "identity":1000,"state":"ready","stateReason":null,"ingressEnforced":true,"egressEnforced":false},
			 {"endpointId":7,"containerId":"c7","podNamespace":"shop","podName":"client","ipv4":"10.0.0.7",
			  "identity":1001,"state":"ready","stateReason":null,"ingressEnforced":true,"egressEnforced":false},
			 {"endpointId":9,"containerId":"c9","podNamespace":"kube-system","podName":"coredns","ipv4":"10.0.0.9",
			  "identity":1002,"state":"ready","stateReason":null,"ingressEnforced":false,"egressEnforced":false},
			 {"endpointId":3,"containerId":"c3","podNamespace":null,"podName":null,"ipv4":"10.0.0.3",
			  "identity":0,"state":"waiting-for-identity","stateReason":null,"ingressEnforced":null,"egressEnforced":null}]""";

	private HttpServer agent;

	private ServiceAddresses addresses;

	@BeforeEach
	void start() throws IOException {
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
		this.addresses = new ServiceAddresses(
				Map.of("agent",
						new ServiceAddress(URI.create("http://127.0.0.1:" + this.agent.getAddress().getPort()), null)),
				null);
	}

	@AfterEach
	void stop() {
		this.agent.stop(0);
	}

	@Test
	void endpointIdsAreProposedWithTheirPods() {
		List<CompletionProposal> proposals = new EndpointCompletions().endpointIdCompletion(this.addresses)
			.apply(context(null, "endpoint", "get", ""));

		assertThat(proposals).extracting(CompletionProposal::value).contains("12", "7", "9");
		assertThat(proposals).filteredOn((p) -> p.value().equals("12"))
			.singleElement()
			.extracting(CompletionProposal::description)
			.isEqualTo("shop/web-1");
		assertThat(proposals).filteredOn((p) -> p.value().equals("3"))
			.singleElement()
			.extracting(CompletionProposal::description)
			.isEqualTo("");
	}

	@Test
	void eachPodOptionGetsPodsInItsOwnForm() {
		assertThat(values(option("src-k8s-pod"))).containsExactly("kube-system:coredns", "shop:client", "shop:web-1");
		assertThat(values(option("from-pod"))).containsExactly("kube-system/coredns", "shop/client", "shop/web-1");
		assertThat(values(option("namespace"))).containsExactly("kube-system", "shop");
		assertThat(values(option("output"))).isEmpty();
	}

	@Test
	void anAgentThatDoesNotAnswerCompletesNothing() {
		this.agent.stop(0);

		assertThat(values(option("pod"))).isEmpty();
		assertThat(new EndpointCompletions().endpointIdCompletion(this.addresses)
			.apply(context(null, "endpoint", "get", ""))).extracting(CompletionProposal::value).doesNotContain("12");
	}

	private List<String> values(CommandOption option) {
		return EndpointCompletions.pods(context(option, "hubble", "observe", "--x", ""), this.addresses)
			.stream()
			.map(CompletionProposal::value)
			.toList();
	}

	private static CommandOption option(String longName) {
		return CommandOption.with().longName(longName).build();
	}

	private static CompletionContext context(CommandOption option, String... words) {
		return new CompletionContext(List.of(words), words.length - 1, 0, null, option);
	}

}
