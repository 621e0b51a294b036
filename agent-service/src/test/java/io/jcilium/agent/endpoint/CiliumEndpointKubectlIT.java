package io.jcilium.agent.endpoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.agent.k8s.Recorders;
import io.jcilium.agent.policy.AgentPolicy;
import io.jcilium.agent.policy.EndpointPolicyMap;
import io.jcilium.agent.policy.PolicyConfiguration;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.PolicyDelta;
import io.jcilium.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user of upstream sees with {@code kubectl get cep -o wide}: the agent's
 * CiliumEndpoint sync, running against the dev API server (the packaged jar, as a
 * process), fills the enforcement columns from the policy the agent computed, and a
 * policy applied with kubectl turns a direction to {@code enforcing} without any endpoint
 * event, and {@code status.policy} lists per direction the peers, ports and protocols
 * allowed and denied, as upstream's {@code EndpointPolicyDirection}.
 */
class CiliumEndpointKubectlIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String NAMESPACE = "cep-" + UUID.randomUUID().toString().substring(0, 8);

	private static final long IDENTITY = 51234;

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	static Path temp;

	static Process server;

	static Kubectl kubectl;

	static KubernetesClient client;

	@BeforeAll
	static void startDevApiServer() throws Exception {
		Path kubeconfig = temp.resolve("kubeconfig");
		kubectl = Kubectl.require(kubeconfig, temp.resolve("cache"));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		server = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-jar", devApiServerJar().toString(), "--port",
				"0", "--kubeconfig", kubeconfig.toString())
			.redirectErrorStream(true)
			.start();
		awaitReady(server);
		client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
		kubectl.ok("apply", "-f", Path.of("..", "helm", "jcilium", "crds").toString());
		Path pod = temp.resolve("pod.yaml");
		Files.writeString(pod, """
				apiVersion: v1
				kind: Namespace
				metadata:
				  name: %s
				---
				apiVersion: v1
				kind: Pod
				metadata:
				  name: web
				  namespace: %s
				  labels:
				    app: web
				spec:
				  nodeName: %s
				  containers:
				  - name: web
				    image: nginx
				""".formatted(NAMESPACE, NAMESPACE, MockCluster.NODE));
		kubectl.ok("apply", "-f", pod.toString());
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (client != null) {
			client.close();
		}
		if (server != null) {
			server.destroy();
			if (!server.waitFor(30, TimeUnit.SECONDS)) {
				server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void enforcementColumnsFollowThePolicyTheAgentComputed() {
		MockCluster.runner(client).withUserConfiguration(PolicyConfiguration.class).run((context) -> {
			Recorders.await(TIMEOUT, () -> context.getBean(PodMetadataSource.class).find(NAMESPACE, "web").isPresent(),
					"the pod");
			AgentPolicy policy = context.getBean(AgentPolicy.class);
			CompletableFuture.runAsync(() -> policy.attach(9, IDENTITY,
					Labels.parse(List.of("k8s:app=web", "k8s:io.kubernetes.pod.namespace=" + NAMESPACE)), List.of(),
					new NoMap()))
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			context.getBean(CiliumEndpointWriter.class)
				.endpointChanged(new EndpointStatus(9, "c0ffee", "eth0", "lxc0web", 21, NAMESPACE, "web", "10.0.1.9",
						IDENTITY, "ready", "regenerated"));

			Recorders.await(TIMEOUT, () -> "non-enforcing".equals(column("INGRESS ENFORCEMENT")), "written");
			assertThat(column("EGRESS ENFORCEMENT")).isEqualTo("non-enforcing");
			assertThat(column("SECURITY IDENTITY")).isEqualTo(String.valueOf(IDENTITY));
			assertThat(column("ENDPOINT STATE")).isEqualTo("ready");
			assertThat(column("IPV4")).isEqualTo("10.0.1.9");

			kubectl.ok("apply", "-f", ingressPolicy().toString());
			Recorders.await(TIMEOUT, () -> "enforcing".equals(column("INGRESS ENFORCEMENT")),
					"ingress enforced once the policy selects the pod");
			assertThat(column("EGRESS ENFORCEMENT")).isEqualTo("non-enforcing");
			assertThat(kubectl.ok("get", "cep", "web", "-n", NAMESPACE, "-o",
					"jsonpath={.status.policy.ingress.enforcing} {.status.policy.egress.enforcing}"))
				.isEqualTo("true false");
			// Upstream's per-direction lists: egress is not enforced, so one empty tuple
			// (any peer); ingress lists what the rules allow and deny, the peer's labels,
			// port and protocol. Upstream's tuple has no port range: 8000-8005 is two
			// policy map entries (8000/14 and 8004/15), one tuple each with its first
			// port.
			JsonNode policyStatus = JSON.readTree(kubectl.ok("get", "cep", "web", "-n", NAMESPACE, "-o", "json"))
				.path("status")
				.path("policy");
			assertThat(policyStatus.path("egress").path("allowed").toString()).isEqualTo("[{}]");
			assertThat(policyStatus.path("egress").has("denied")).isFalse();
			JsonNode allowed = policyStatus.path("ingress").path("allowed");
			assertThat(allowed).isNotEmpty()
				.allSatisfy((tuple) -> assertThat(tuple.path("identity").asLong()).as("%s", tuple).isPositive())
				.anySatisfy((tuple) -> assertThat(tuple(tuple)).containsExactly(IDENTITY, 8080L, 6L))
				.anySatisfy((tuple) -> assertThat(tuple(tuple)).containsExactly(IDENTITY, 8000L, 6L))
				.anySatisfy((tuple) -> assertThat(tuple(tuple)).containsExactly(IDENTITY, 8004L, 6L))
				.noneSatisfy((tuple) -> assertThat(tuple.path("dest-port").asInt()).isEqualTo(9090));
			JsonNode denied = policyStatus.path("ingress").path("denied");
			assertThat(denied).isNotEmpty()
				.singleElement()
				.satisfies((tuple) -> assertThat(tuple(tuple)).containsExactly(IDENTITY, 9090L, 6L));
			// Without -o wide, upstream's default columns only.
			assertThat(kubectl.ok("get", "cep", "-n", NAMESPACE).lines().findFirst().orElseThrow())
				.doesNotContain("ENFORCEMENT")
				.contains("SECURITY IDENTITY", "ENDPOINT STATE", "IPV4", "IPV6");
		});
	}

	/**
	 * The cell of the web pod's row under a column of {@code kubectl get cep -o wide}:
	 * kubectl pads columns with at least three spaces, and names hold single ones.
	 */
	private static String column(String name) {
		List<String> lines = kubectl.ok("get", "cep", "-n", NAMESPACE, "-o", "wide").lines().toList();
		if (lines.size() < 2) {
			return null;
		}
		String header = lines.get(0);
		int start = header.indexOf(name);
		assertThat(start).as("column %s in %s", name, header).isNotNegative();
		int end = header.indexOf("   ", start + name.length());
		while (end >= 0 && end < header.length() && header.charAt(end) == ' ') {
			end++;
		}
		String row = lines.get(1);
		end = (end < 0 || end > row.length()) ? row.length() : end;
		return (row.length() > start) ? row.substring(start, end).strip() : "";
	}

	/**
	 * Identity, dest-port and protocol of a tuple whose peer is the web pod's identity,
	 * after checking its identity-labels and that it has nothing else.
	 */
	private static List<Long> tuple(JsonNode tuple) {
		assertThat(tuple.size()).as("fields of %s", tuple).isEqualTo(4);
		assertThat(tuple.path("identity-labels").toString()).as("labels of %s", tuple)
			.isEqualTo("{\"k8s:app\":\"web\",\"k8s:io.kubernetes.pod.namespace\":\"" + NAMESPACE + "\"}");
		return List.of(tuple.path("identity").asLong(), tuple.path("dest-port").asLong(),
				tuple.path("protocol").asLong());
	}

	private static Path ingressPolicy() {
		Path file = temp.resolve("cnp.yaml");
		try {
			Files.writeString(file, """
					apiVersion: cilium.io/v2
					kind: CiliumNetworkPolicy
					metadata:
					  name: web-from-client
					  namespace: %s
					spec:
					  endpointSelector:
					    matchLabels:
					      app: web
					  ingress:
					  - fromEndpoints:
					    - matchLabels:
					        app: client
					  - fromEndpoints:
					    - matchLabels:
					        app: web
					    toPorts:
					    - ports: [{port: "8080", protocol: TCP}, {port: "8000", endPort: 8005, protocol: TCP}]
					  ingressDeny:
					  - fromEndpoints:
					    - matchLabels:
					        app: web
					    toPorts:
					    - ports: [{port: "9090", protocol: TCP}]
					""".formatted(NAMESPACE));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return file;
	}

	private static Path devApiServerJar() throws IOException {
		Path target = Path.of("..", "dev-apiserver", "target");
		try (Stream<Path> files = Files.list(target)) {
			return files.filter((f) -> f.getFileName().toString().matches("dev-apiserver-[^-]+(-SNAPSHOT)?\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no dev-apiserver jar in " + target
						+ ": build it in the same run (./mvnw verify -pl agent-service -am)"));
		}
	}

	/**
	 * Waits for the ready line, and keeps reading so the server never blocks on its
	 * output.
	 */
	private static void awaitReady(Process process) throws Exception {
		CompletableFuture<String> ready = new CompletableFuture<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader out = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = out.readLine(); line != null; line = out.readLine()) {
					if (line.startsWith("dev-apiserver ready")) {
						ready.complete(line);
					}
				}
			}
			catch (IOException ex) {
				ready.completeExceptionally(ex);
			}
			ready.complete(null);
		}, "dev-apiserver-output");
		reader.setDaemon(true);
		reader.start();
		assertThat(ready.get(120, TimeUnit.SECONDS)).as("the dev API server's ready line").isNotNull();
	}

	/**
	 * A policy map that takes every change: this test reads the object, not the kernel.
	 */
	private static final class NoMap implements EndpointPolicyMap {

		@Override
		public int replace(EndpointPolicy policy) {
			return 0;
		}

		@Override
		public int apply(PolicyDelta.EndpointChange change) {
			return 0;
		}

	}

}
