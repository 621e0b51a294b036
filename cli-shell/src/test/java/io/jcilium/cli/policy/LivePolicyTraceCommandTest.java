package io.jcilium.cli.policy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
 * {@code policy trace --src-k8s-pod --dst-k8s-pod --dport} as a user runs it, against a
 * server answering {@code GET /actuator/policytrace} with the agent's JSON (the agent's
 * PolicyTraceEndpointTest computes it from real rules): the query it sends, upstream's
 * layout, and usage errors before any call.
 */
@ExtendWith(OutputCaptureExtension.class)
class LivePolicyTraceCommandTest {

	private static final String TRACE = """
			{"from":["k8s:app=client","k8s:io.kubernetes.pod.namespace=shop"],
			 "to":["k8s:app=web","k8s:io.kubernetes.pod.namespace=shop"],
			 "port":"8080/TCP","verdict":"ALLOWED","egress":null,
			 "ingress":{"enforced":true,"verdict":"ALLOWED","reason":"allowed by a rule","rules":["CiliumNetworkPolicy shop/web: ..."]},
			 "explanation":["ingress: allowed (allowed by a rule)","  by CiliumNetworkPolicy shop/web: from endpoints[app=client] to 8080/TCP",
			   "final verdict: allowed; replies of this connection are allowed by connection tracking"]}""";

	private final List<String> queries = new CopyOnWriteArrayList<>();

	private HttpServer agent;

	@BeforeEach
	void start() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.agent.createContext("/actuator/policytrace", (exchange) -> {
			this.queries.add(exchange.getRequestURI().getQuery());
			byte[] body = TRACE.getBytes(StandardCharsets.UTF_8);
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
	void tracesTwoPodsOnTheAgentAndPrintsTheDecidingRules(CapturedOutput output) {
		int exitCode = TestConsole.run(agentUrl(), "policy", "trace", "--src-k8s-pod", "shop:client", "--dst-k8s-pod",
				"shop:web", "--dport", "8080/TCP");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(this.queries).containsExactly("srcPod=shop:client&dstPod=shop:web&dport=8080/TCP");
		assertThat(output.getOut()).isEqualTo(
				"""
						----------------------------------------------------------------
						Tracing From: [k8s:app=client, k8s:io.kubernetes.pod.namespace=shop] => To: [k8s:app=web, k8s:io.kubernetes.pod.namespace=shop] Ports: [8080/TCP]

						ingress: allowed (allowed by a rule)
						  by CiliumNetworkPolicy shop/web: from endpoints[app=client] to 8080/TCP
						Final verdict: ALLOWED
						""");
	}

	@Test
	void labelSetsAreSentAsLabels(CapturedOutput output) {
		int exitCode = TestConsole.run(agentUrl(), "policy", "trace", "-s", "reserved:world", "--dst-k8s-pod",
				"shop:web", "--dport", "80", "-o", "json");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(this.queries).containsExactly("srcLabels=reserved:world&dstPod=shop:web&dport=80");
		assertThat(output.getOut()).startsWith("{\n  \"from\": [");
	}

	@Test
	void aMissingSideOrPortIsAUsageErrorBeforeAnyCall(CapturedOutput output) {
		assertThat(TestConsole.run(agentUrl(), "policy", "trace", "--dst-k8s-pod", "shop:web", "--dport", "80/TCP"))
			.isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr())
			.contains("give the source as either --src-k8s-pod NS:POD or -s LABELS (or use --offline)");
		assertThat(TestConsole.run(agentUrl(), "policy", "trace", "--src-k8s-pod", "shop:client", "--dst-k8s-pod",
				"shop:web"))
			.isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("--dport is required, e.g. --dport 80/TCP (or use --offline)");
		assertThat(TestConsole.run(agentUrl(), "policy", "trace", "--src-k8s-pod", "shop:client", "--dst-k8s-pod",
				"shop:web", "--dport", "http"))
			.isEqualTo(ExitCodes.USAGE);
		assertThat(this.queries).isEmpty();
	}

	private String agentUrl() {
		return "--jcilium.services.agent.url=http://127.0.0.1:" + this.agent.getAddress().getPort();
	}

}
