package io.jcilium.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.api.identity.v1.ListResponse;
import io.jcilium.api.identity.v1.LookupRequest;

/**
 * The training run {@code scripts/jcilium} records the console's AOT cache (or CDS
 * archive) from: the everyday one-shot commands, each through the whole console as a user
 * runs it (the one-shot path without a Spring context, then {@code status} once more in a
 * context, the path of the interactive shell), answered by loopback servers that speak
 * the same contracts as the services (the agent's {@code /actuator/health} and
 * {@code /actuator/endpointpolicy}, gRPC health and {@code identity.v1}), and the offline
 * policy trace over a small pods file and policy written for it.
 * <p>
 * A training run against nothing only records the failure paths: a successful gRPC call
 * (HTTP/2 frames, protobuf parsing, the identity stubs) and the JSON of a real answer
 * were then loaded, linked and interpreted afresh on every command, about 1,200 classes.
 * Run with {@code -Djcilium.cli.training=true}; it exits 0 when every command ran.
 */
final class TrainingRun {

	static final String PROPERTY = "jcilium.cli.training";

	private TrainingRun() {
	}

	static int run() throws IOException {
		HealthStatusManager health = new HealthStatusManager();
		Server grpc = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
			.addService(health.getHealthService())
			.addService(new Identities())
			.build()
			.start();
		HttpServer agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		agent.createContext("/actuator/health", (exchange) -> answer(exchange, "{\"status\":\"UP\"}"));
		agent.createContext("/actuator/endpointpolicy", (exchange) -> answer(exchange, endpoints()));
		agent.start();
		try {
			String http = "http://127.0.0.1:" + agent.getAddress().getPort();
			// The loopback servers listen without TLS, so the commands are told
			// plaintext.
			String[] services = { "--jcilium.tls.enabled=false", "--jcilium.services.agent.url=" + http,
					"--jcilium.services.agent.grpc=", "--jcilium.services.identity.url=" + http,
					"--jcilium.services.identity.grpc=127.0.0.1:" + grpc.getPort() };
			Path traceInput = traceInput();
			int failed = 0;
			for (List<String> command : List.of(List.of("status", "agent", "identity", "--timeout", "60s"),
					List.of("endpoint", "list"), List.of("endpoint", "list", "-o", "json"), List.of("identity", "list"),
					List.of("policy", "trace", "--offline", "--policies", traceInput.resolve("policies").toString(),
							"--pods", traceInput.resolve("pods.yaml").toString(), "--ports", "8080/TCP"))) {
				List<String> args = new ArrayList<>(List.of(services));
				args.addAll(command);
				if (CliShellApplication.run(args.toArray(String[]::new)) != ExitCodes.OK) {
					System.err.println("training run: '" + String.join(" ", command) + "' failed");
					failed++;
				}
			}
			// The interactive shell and the commands the one-shot path leaves to the
			// context start one; its classes cost the one-shot path nothing measurable
			// (0.33-0.44 s CPU for the offline trace either way).
			List<String> args = new ArrayList<>(List.of(services));
			args.addAll(List.of("status", "agent", "identity", "--timeout", "60s"));
			if (CliShellApplication.runInContext(CliArguments.parse(args.toArray(String[]::new))) != ExitCodes.OK) {
				System.err.println("training run: 'status' in a Spring context failed");
				failed++;
			}
			return (failed == 0) ? ExitCodes.OK : ExitCodes.FAILURE;
		}
		finally {
			agent.stop(0);
			grpc.shutdownNow();
		}
	}

	/**
	 * A pods file and a policy directory for the offline trace (YAML parsing, the policy
	 * engine), in a temporary directory removed when the JVM exits.
	 */
	private static Path traceInput() throws IOException {
		Path dir = Files.createTempDirectory("jcilium-training-");
		Path policies = Files.createDirectory(dir.resolve("policies"));
		Files.writeString(dir.resolve("pods.yaml"), """
				namespaces:
				  - {name: shop, labels: {team: shop}}
				pods:
				  - {namespace: shop, name: frontend, labels: {app: frontend}}
				  - {namespace: shop, name: backend, labels: {app: backend}}
				""");
		Files.writeString(policies.resolve("backend.yaml"), """
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: backend-ingress, namespace: shop}
				spec:
				  endpointSelector: {matchLabels: {app: backend}}
				  ingress:
				    - fromEndpoints: [{matchLabels: {app: frontend}}]
				      toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
				""");
		// deleted in the reverse order of registration: the files, then their directories
		for (Path path : List.of(dir, policies, dir.resolve("pods.yaml"), policies.resolve("backend.yaml"))) {
			path.toFile().deleteOnExit();
		}
		return dir;
	}

	/** Endpoints in the agent's JSON, of a reserved and a workload identity. */
	private static String endpoints() {
		StringBuilder json = new StringBuilder("[");
		for (int id = 1; id <= 20; id++) {
			json.append((id > 1) ? "," : "")
				.append("{\"endpointId\":")
				.append(id)
				.append(",\"podNamespace\":\"shop\",\"podName\":\"web-")
				.append(id)
				.append("\",\"pod\":\"shop/web-")
				.append(id)
				.append("\",\"ipv4\":\"10.0.0.")
				.append(id)
				.append("\",\"identity\":")
				.append((id % 2 == 0) ? 1 : 12345)
				.append(",\"state\":\"ready\",\"ingressEnforced\":true,\"egressEnforced\":false}");
		}
		return json.append(']').toString();
	}

	private static void answer(HttpExchange exchange, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private static final class Identities extends IdentityServiceGrpc.IdentityServiceImplBase {

		private static final List<Identity> IDENTITIES = List.of(
				Identity.newBuilder().setId(1).setReserved(true).addLabels("reserved:host").build(),
				Identity.newBuilder()
					.setId(12345)
					.addLabels("k8s:app=web")
					.addLabels("k8s:io.kubernetes.pod.namespace=shop")
					.build());

		@Override
		public void list(ListRequest request, StreamObserver<ListResponse> responses) {
			responses.onNext(ListResponse.newBuilder().addAllIdentities(IDENTITIES).build());
			responses.onCompleted();
		}

		@Override
		public void lookup(LookupRequest request, StreamObserver<Identity> responses) {
			responses.onNext(IDENTITIES.stream()
				.filter((identity) -> identity.getId() == request.getId())
				.findFirst()
				.orElse(Identity.getDefaultInstance()));
			responses.onCompleted();
		}

	}

}
