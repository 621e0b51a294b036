package io.jcilium.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jcilium.cli.identity.TestIdentityService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-shot path without a Spring context ({@link OneShotConsole}) against the context
 * path ({@link CliShellApplication#runInContext}), command line by command line: the same
 * standard output, error output and exit code, against one stand-in agent answering the
 * agent's actuator JSON (the shapes the per-command tests pin) and a gRPC server behind
 * {@code identity.v1}. Each line must also really take the fast path, or the comparison
 * would be the context against itself.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OneShotEquivalenceTest {

	private static final Path TRACE_EXAMPLE = Path.of("..", "examples", "policy-trace");

	private static final String ENDPOINTS = """
			[{"endpointId":7,"containerId":"c7","podNamespace":"shop","podName":"web-0","ipv4":"10.0.1.7",
			  "identity":12345,"state":"ready","stateReason":null,"ingressEnforced":true,"egressEnforced":false},
			 {"endpointId":12,"containerId":"c12","podNamespace":"shop","podName":"db-0","ipv4":"10.0.1.12",
			  "identity":23456,"state":"ready","stateReason":null,"ingressEnforced":false,"egressEnforced":false},
			 {"endpointId":31,"containerId":"c31","podNamespace":"shop","podName":"web-1","ipv4":"10.0.1.31",
			  "identity":0,"state":"waiting-for-identity","stateReason":"identity-service not answering",
			  "ingressEnforced":null,"egressEnforced":null}]""";

	private static final String ENDPOINT_POLICY = """
			{"endpointId":7,"pod":"shop/web-0","identity":1000,"ingressEnforced":true,"egressEnforced":false,
			 "entries":[{"verdict":"allow","direction":"ingress","peer":1001,"protocol":"TCP","ports":"8080-8083",
			   "derivedFrom":[["k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy",
			                   "k8s:io.cilium.k8s.policy.name=web","k8s:io.cilium.k8s.policy.namespace=shop"]]}]}""";

	private static final String NODES = """
			[{"name":"default/node-1","nodeName":"node-1","local":true,"ipv4Address":"192.168.56.11",
			  "ipv4AllocCidr":"10.0.1.0/24","ipv6Address":null,"ipv6AllocCidr":null,
			  "addresses":[{"type":"InternalIP","ip":"192.168.56.11"}],"podCidrs":["10.0.1.0/24"]},
			 {"name":"default/node-2","nodeName":"node-2","local":false,"ipv4Address":"192.168.56.12",
			  "ipv4AllocCidr":"10.0.2.0/24","ipv6Address":"fd00:56::12","ipv6AllocCidr":"fd00:10:2::/64",
			  "addresses":[{"type":"InternalIP","ip":"192.168.56.12"}],"podCidrs":["10.0.2.0/24","fd00:10:2::/64"]}]""";

	private static final String CONFIG = """
			{"readWrite":{"Debug":"Disabled"},
			 "readOnly":{"jcilium.agent.hubble.ring-capacity":4095,"jcilium.agent.routing.mode":"tunnel",
			  "jcilium.agent.ipam.pools":["default","blue"],"jcilium.agent.node-name":null}}""";

	private static final String TRACE = """
			{"from":["k8s:app=client","k8s:io.kubernetes.pod.namespace=shop"],
			 "to":["k8s:app=web","k8s:io.kubernetes.pod.namespace=shop"],
			 "port":"8080/TCP","verdict":"ALLOWED","egress":null,
			 "ingress":{"enforced":true,"verdict":"ALLOWED","reason":"allowed by a rule","rules":["CiliumNetworkPolicy shop/web"]},
			 "explanation":["ingress: allowed (allowed by a rule)","  by CiliumNetworkPolicy shop/web: from endpoints[app=client] to 8080/TCP",
			   "final verdict: allowed"]}""";

	private static final Map<String, String> AGENT = Map.ofEntries(Map.entry("/actuator/health", """
			{"status":"UP","components":{"ping":{"status":"UP"}}}"""), Map.entry("/actuator/endpointpolicy", ENDPOINTS),
			Map.entry("/actuator/endpointpolicy/7", ENDPOINT_POLICY), Map.entry("/actuator/nodes", NODES),
			Map.entry("/actuator/config", CONFIG), Map.entry("/actuator/policytrace", TRACE),
			Map.entry("/actuator/bpf/ipcache", """
					[{"prefix":"10.0.0.0/8","identity":2,"tunnelEndpoint":"0.0.0.0","flags":0},
					 {"prefix":"10.0.1.7/32","identity":12345,"tunnelEndpoint":"192.168.56.12","flags":0}]"""),
			Map.entry("/actuator/bpf/endpoint", """
					[{"address":"10.0.0.5","id":12,"identity":18965,"flags":0,"ifindex":31,
					  "mac":"02:00:00:00:00:05","nodeMac":"02:00:00:00:00:01"}]"""), Map.entry("/actuator/bpf/ct", """
					[{"protocol":"TCP","direction":"OUT","source":"10.0.0.5:40000","destination":"10.0.1.7:80",
					  "endpointId":12,"expiresInSeconds":21590,"packets":3,"bytes":180,"rxPackets":2,"rxBytes":120,
					  "sourceIdentity":18965,"flags":0}]"""), Map.entry("/actuator/bpf/metrics", """
					[{"reason":133,"description":"Policy denied","direction":"INGRESS","packets":4,"bytes":240}]"""));

	private HttpServer agent;

	private TestIdentityService identities;

	private int closedPort;

	@BeforeAll
	void start() throws IOException {
		this.agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.agent.createContext("/", (exchange) -> {
			String body = AGENT.get(exchange.getRequestURI().getPath());
			answer(exchange, (body != null) ? 200 : 404,
					(body != null) ? body : "{\"message\":\"no " + exchange.getRequestURI().getPath() + " here\"}");
		});
		this.agent.start();
		this.identities = new TestIdentityService();
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			this.closedPort = socket.getLocalPort();
		}
	}

	@AfterAll
	void stop() {
		this.agent.stop(0);
		this.identities.close();
	}

	static Stream<String> commandLines() {
		String trace = "policy trace --offline --policies " + TRACE_EXAMPLE.resolve("policies") + " --pods "
				+ TRACE_EXAMPLE.resolve("pods.yaml") + " --ports 8080/TCP,9090/TCP";
		return Stream.of("status agent", "status agent --verbose", "status agent -o json", "status agent --timeout 5s",
				"status nothing", "status agent --timeout soon", "endpoint list", "endpoint list -o json",
				"endpoint list --output=yaml", "endpoint list -o xml", "endpoint list --bogus 1", "endpoint get 7",
				"endpoint get 7 -o yaml", "endpoint get 99", "endpoint get web", "identity list",
				"identity list -o json", "identity list -o yaml", "identity get 12345", "identity get 777",
				"identity get 0", trace, trace + " --ports 80/XTP",
				"policy trace --offline --policies /nonexistent --pods /nonexistent",
				"policy trace --src-k8s-pod shop:client --dst-k8s-pod shop:web --dport 8080/TCP",
				"policy trace -s k8s:app=client --dst-k8s-pod shop:web --dport 8080/TCP -o json",
				"policy trace --src-k8s-pod shop:client --dst-k8s-pod shop:web", "node list", "node list -o json",
				"node list -o yaml", "bpf ipcache list", "bpf ipcache list -o json", "bpf ipcache get 10.0.1.7",
				"bpf ipcache get 192.0.2.1", "bpf ipcache get web", "bpf endpoint list", "bpf ct list",
				"bpf ct list endpoint 12", "bpf ct list endpoint x", "bpf metrics list", "bpf metrics list -o yaml",
				"bpf policy get 7", "bpf policy get 7 -o yaml", "bpf policy get 8", "config", "config -a", "config -r",
				"config -o json", "config Debug=Enabled", "config Debug", "endpoint list --agent-down",
				"identity list --identity-down");
	}

	@ParameterizedTest
	@MethodSource("commandLines")
	void theFastPathPrintsAndExitsAsTheContextDoes(String commandLine, CapturedOutput output) {
		String[] args = arguments(commandLine);

		StringWriter fastOut = new StringWriter();
		StringWriter fastErr = new StringWriter();
		OptionalInt fast = OneShotConsole.run(CliArguments.parse(args), new PrintWriter(fastOut),
				new PrintWriter(fastErr));
		int outBefore = output.getOut().length();
		int errBefore = output.getErr().length();
		int context = CliShellApplication.runInContext(CliArguments.parse(args));
		String contextOut = output.getOut().substring(outBefore);
		String contextErr = output.getErr().substring(errBefore);

		assertThat(fast).as("taken without a context").isPresent();
		assertThat(fastOut.toString()).isEqualTo(contextOut);
		assertThat(fastErr.toString()).isEqualTo(contextErr);
		assertThat(fast.getAsInt()).isEqualTo(context);
	}

	/**
	 * The command line with the stand-ins' addresses in front; the two pseudo options
	 * point the agent or identity-service at a port nobody listens on.
	 */
	private String[] arguments(String commandLine) {
		String agentUrl = "http://127.0.0.1:" + this.agent.getAddress().getPort();
		String identityGrpc = this.identities.property();
		List<String> words = new ArrayList<>(List.of(commandLine.split(" ")));
		if (words.remove("--agent-down")) {
			agentUrl = "http://127.0.0.1:" + this.closedPort;
		}
		if (words.remove("--identity-down")) {
			identityGrpc = "--jcilium.services.identity.grpc=127.0.0.1:" + this.closedPort;
		}
		List<String> args = new ArrayList<>(List.of("--jcilium.services.agent.url=" + agentUrl,
				"--jcilium.services.agent.grpc=", "--jcilium.services.identity.url=" + agentUrl, identityGrpc));
		args.addAll(words);
		return args.toArray(String[]::new);
	}

	private static void answer(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}
