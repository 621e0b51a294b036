package io.jcilium.cli.policy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import io.jcilium.cli.ExitCodes;
import io.jcilium.cli.TestConsole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code policy get} and {@code policy selectors} as a user runs them, against a local
 * server answering {@code /actuator/policy} and {@code /actuator/policy/selectors} with
 * the agent's JSON (the agent's PolicyRepositoryEndpointTest computes that JSON from real
 * policy YAML).
 */
@ExtendWith(OutputCaptureExtension.class)
class PolicyRepositoryCommandsTest {

	private static final String LABELS = """
			[{"key":"io.cilium.k8s.policy.derived-from","value":"CiliumNetworkPolicy","source":"k8s"},
			 {"key":"io.cilium.k8s.policy.name","value":"web","source":"k8s"},
			 {"key":"io.cilium.k8s.policy.namespace","value":"shop","source":"k8s"}]""";

	private static final String POLICY = """
			{"revision":7,"policy":[{"endpointSelector":{"matchLabels":{"any:app":"web"}},
			 "ingress":[{"fromEntities":["host"]}],"enableDefaultDeny":{"ingress":true,"egress":false},
			 "labels":%s}]}""".formatted(LABELS);

	private static final String SELECTORS = """
			[{"selector":"entity:host","labels":[%s],"users":1,"identities":[1]},
			 {"selector":"{\\"matchLabels\\":{\\"any:app\\":\\"client\\"}}","labels":[%s],"users":2,
			  "identities":[2001,2003]},
			 {"selector":"cidr:10.0.0.0/8","labels":[],"users":0,"identities":[]}]""".formatted(LABELS, LABELS);

	private final List<String> queries = new ArrayList<>();

	private HttpServer agent;

	private int status = 200;

	@BeforeEach
	void start() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.agent.createContext("/actuator/policy", (exchange) -> {
			String query = exchange.getRequestURI().getRawQuery();
			this.queries.add((query != null) ? URLDecoder.decode(query, StandardCharsets.UTF_8) : "");
			boolean selectors = exchange.getRequestURI().getPath().endsWith("/selectors");
			String text = (this.status != 200)
					? "{\"message\":\"no rule in force carries the labels k8s:io.cilium.k8s.policy.name=ghost\"}"
					: selectors ? SELECTORS : POLICY;
			byte[] body = text.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(this.status, body.length);
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
	void getPrintsTheRulesAsJsonThenTheRevisionAsUpstream(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "policy", "get")).isEqualTo(ExitCodes.OK);

		assertThat(output.getOut()).startsWith("""
				[
				  {
				    "endpointSelector": {
				      "matchLabels": {
				        "any:app": "web"
				      }
				    },
				    "ingress": [
				      {
				        "fromEntities": [
				          "host"
				        ]
				      }
				    ],""").endsWith("  }\n]\nRevision: 7\n");
		assertThat(this.queries).containsExactly("");
	}

	@Test
	void getSendsTheLabelsToFilterBy(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "policy", "get", "k8s:io.cilium.k8s.policy.name=web",
				"k8s:io.cilium.k8s.policy.namespace=shop"))
			.isEqualTo(ExitCodes.OK);

		assertThat(this.queries)
			.containsExactly("labels=k8s:io.cilium.k8s.policy.name=web,k8s:io.cilium.k8s.policy.namespace=shop");
	}

	@Test
	void labelsNoRuleCarriesFailInOneLineWithTheAgentsWords(CapturedOutput output) {
		this.status = 404;

		assertThat(TestConsole.run(agentUrl(), "policy", "get", "k8s:io.cilium.k8s.policy.name=ghost"))
			.isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr().strip())
			.endsWith("no rule in force carries the labels k8s:io.cilium.k8s.policy.name=ghost")
			.doesNotContain("\n");
		assertThat(output.getOut()).isEmpty();
	}

	@Test
	void selectorsPrintUpstreamsColumnsWithOneIdentityPerLine(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "policy", "selectors")).isEqualTo(ExitCodes.OK);

		assertThat(output.getOut()).isEqualTo("""
				SELECTOR                               LABELS     USERS   IDENTITIES
				entity:host                            shop/web   1       1
				{"matchLabels":{"any:app":"client"}}   shop/web   2       2001
				                                                          2003
				cidr:10.0.0.0/8                                   0
				""");
	}

	@Test
	void verboseSelectorsPrintEveryLabelOfThePolicies(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "policy", "selectors", "-v")).isEqualTo(ExitCodes.OK);

		assertThat(output.getOut()).contains("[k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy "
				+ "k8s:io.cilium.k8s.policy.name=web k8s:io.cilium.k8s.policy.namespace=shop]");
	}

	@Test
	void selectorsAsJsonAreTheAgentsRows(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "policy", "selectors", "-o", "json")).isEqualTo(ExitCodes.OK);

		assertThat(output.getOut()).startsWith("[\n  {\n    \"selector\": \"entity:host\",")
			.contains("\"identities\": [\n      2001,\n      2003\n    ]");
	}

	private String agentUrl() {
		return "--jcilium.services.agent.url=http://127.0.0.1:" + this.agent.getAddress().getPort();
	}

}
