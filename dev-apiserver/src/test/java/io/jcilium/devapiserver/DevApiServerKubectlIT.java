package io.jcilium.devapiserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jcilium.testsupport.Kubectl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kubectl 1.32 against the dev API server, started in-process on a free port: the CRDs
 * and upstream's example manifests apply and validate, kubectl's everyday commands work,
 * and a malformed policy is refused by kubectl's own validation.
 */
class DevApiServerKubectlIT {

	static final String NAMESPACE = "it-" + UUID.randomUUID().toString().substring(0, 8);

	@TempDir
	static Path temp;

	static DevApiServer server;

	static Kubectl kubectl;

	@BeforeAll
	static void startAndApplyCrds() {
		Path kubeconfig = temp.resolve("kubeconfig");
		kubectl = Kubectl.require(kubeconfig, temp.resolve("cache"));
		server = DevApiServer.start(InetAddress.getLoopbackAddress(), 0);
		server.writeKubeconfig(kubeconfig);
		kubectl.ok("apply", "-f", Repository.path("helm/jcilium/crds").toString());
		kubectl.ok("apply", "-f", Repository.path("examples/upstream").toString());
		kubectl.ok("apply", "-f", writeNamespaceAndPod());
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void everyCrdTheBuildGeneratesIsRegistered() throws IOException {
		List<String> generated;
		try (Stream<Path> files = Files.list(Repository.path("helm/jcilium/crds"))) {
			generated = files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith("-v1.yml"))
				.map((name) -> "customresourcedefinition.apiextensions.k8s.io/"
						+ name.substring(0, name.length() - "-v1.yml".length()))
				.toList();
		}
		assertThat(generated).contains("customresourcedefinition.apiextensions.k8s.io/ciliumnetworkpolicies.cilium.io",
				"customresourcedefinition.apiextensions.k8s.io/ciliumbgpclusterconfigs.cilium.io");
		assertThat(kubectl.ok("get", "crd", "-o", "name").lines()).containsExactlyInAnyOrderElementsOf(generated);
	}

	@Test
	void upstreamExamplesReadBackByShortName() {
		assertThat(kubectl.ok("get", "cnp", "rule1", "-o", "jsonpath={.spec.ingress[0].toPorts[0].ports[0].port}"))
			.isEqualTo("80");
		assertThat(kubectl.ok("get", "ccnp,ippools,cpip,bgpp,l2announcement", "-o", "name").lines()).containsExactly(
				"ciliumclusterwidenetworkpolicy.cilium.io/default-deny", "ciliumloadbalancerippool.cilium.io/blue-pool",
				"ciliumpodippool.cilium.io/green-pool", "ciliumbgppeeringpolicy.cilium.io/01-bgp-peering-policy",
				"ciliuml2announcementpolicy.cilium.io/policy1");
	}

	@Test
	void objectAppliedAsV2alpha1IsServedAtThePreferredVersion() {
		// blue-pool is written as cilium.io/v2alpha1; kubectl reads
		// CiliumLoadBalancerIPPool as v2.
		assertThat(kubectl.ok("get", "ippools", "blue-pool", "-o", "jsonpath={.apiVersion} {.spec.blocks[2].stop}"))
			.isEqualTo("cilium.io/v2 20.0.20.200");
	}

	@Test
	void tableOutputShowsTheKindsColumns() {
		String services = kubectl.ok("get", "svc", "-n", NAMESPACE);
		assertThat(services.lines().findFirst().orElseThrow()).contains("TYPE", "CLUSTER-IP", "PORT(S)", "AGE");
		assertThat(services).contains("web", "8080/TCP");
		assertThat(kubectl.ok("get", "ns", NAMESPACE)).contains("Active");
		assertThat(kubectl.ok("get", "pods", "-n", NAMESPACE)).contains("web", "0/1", "Pending");
	}

	@Test
	void ciliumKindsShowUpstreamsPrinterColumnsAndConditions() throws IOException {
		Path node = temp.resolve("node.yaml");
		Files.writeString(node, """
				apiVersion: cilium.io/v2
				kind: CiliumNode
				metadata:
				  name: cols-node
				spec:
				  addresses:
				  - {type: InternalIP, ip: 192.168.56.11}
				  - {type: CiliumInternalIP, ip: 10.0.1.1}
				  ipam:
				    podCIDRs: [10.0.1.0/24]
				""");
		kubectl.ok("apply", "-f", node.toString());
		kubectl.ok("apply", "-n", NAMESPACE, "-f", cnp("cols-policy").toString());
		kubectl.ok("patch", "cnp", "cols-policy", "-n", NAMESPACE, "--subresource=status", "--type=merge", "-p",
				"{\"status\":{\"conditions\":[{\"type\":\"Valid\",\"status\":\"True\","
						+ "\"message\":\"Policy validation succeeded\",\"lastTransitionTime\":\"2026-12-05T10:00:00Z\"}]}}");

		List<String> nodes = kubectl.ok("get", "cn", "cols-node").lines().toList();
		assertThat(nodes.get(0).split("\\s+")).containsExactly("NAME", "CILIUMINTERNALIP", "INTERNALIP", "PODCIDRS",
				"AGE");
		assertThat(nodes.get(1)).contains("cols-node", "10.0.1.1", "192.168.56.11", "10.0.1.0/24");
		List<String> policies = kubectl.ok("get", "cnp", "cols-policy", "-n", NAMESPACE).lines().toList();
		assertThat(policies.get(0).split("\\s+")).containsExactly("NAME", "AGE", "VALID");
		assertThat(policies.get(1)).endsWith("True");
		assertThat(kubectl.ok("get", "cep", "-A").strip()).as("no endpoints, but the kind and its columns resolve")
			.isIn("No resources found", "");
		assertThat(kubectl.ok("wait", "cnp/cols-policy", "-n", NAMESPACE, "--for=condition=Valid", "--timeout=30s"))
			.contains("condition met");
		assertThat(kubectl.ok("describe", "cnp", "cols-policy", "-n", NAMESPACE)).contains("Conditions:",
				"Policy validation succeeded");
	}

	@Test
	void labelAndMergePatchChangeTheObject() {
		kubectl.ok("apply", "-f", Repository.path("examples/upstream/cnp-l3-l4.yaml").toString(), "-n", NAMESPACE);
		kubectl.ok("label", "cnp", "rule1", "-n", NAMESPACE, "tier=gold");
		kubectl.ok("patch", "cnp", "rule1", "-n", NAMESPACE, "--type=merge", "-p",
				"{\"spec\":{\"description\":\"patched by the test\"}}");
		kubectl.ok("label", "pod", "web", "-n", NAMESPACE, "stage=it");
		assertThat(kubectl.ok("get", "cnp", "rule1", "-n", NAMESPACE, "-o",
				"jsonpath={.metadata.labels.tier} {.spec.description} {.spec.endpointSelector.matchLabels.org}"))
			.isEqualTo("gold patched by the test empire");
		assertThat(kubectl.ok("get", "pod", "web", "-n", NAMESPACE, "-o",
				"jsonpath={.metadata.labels.stage} {.spec.containers[0].image}"))
			.isEqualTo("it busybox");
	}

	@Test
	void deleteRemovesTheObject() {
		kubectl.ok("apply", "-f", Repository.path("examples/upstream/cnp-l3-l4.yaml").toString(), "-n", "default");
		kubectl.ok("delete", "cnp", "rule1", "-n", "default");
		Kubectl.Result get = kubectl.run("get", "cnp", "rule1", "-n", "default");
		assertThat(get.exitCode()).isNotZero();
		assertThat(get.err()).contains("NotFound");
	}

	@Test
	void serverSideApplyCreatesThenMerges() {
		kubectl.ok("apply", "--server-side", "-f", Repository.path("examples/upstream/pod-ippool.yaml").toString());
		assertThat(kubectl.ok("get", "cpip", "green-pool", "-o", "jsonpath={.spec.ipv4.maskSize}")).isEqualTo("24");
	}

	@Test
	void unknownFieldIsRefusedByKubectlValidation() throws Exception {
		Path manifest = temp.resolve("unknown-field.yaml");
		Files.writeString(manifest, """
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata:
				  name: typo
				spec:
				  endpointSelector:
				    matchLabels:
				      app: web
				  ingres:
				  - fromEndpoints:
				    - matchLabels:
				        app: client
				""");
		Kubectl.Result apply = kubectl.run("apply", "-n", NAMESPACE, "-f", manifest.toString());
		assertThat(apply.exitCode()).isNotZero();
		assertThat(apply.err()).contains("unknown field \"ingres\"", "CiliumNetworkPolicy.spec");
		assertThat(kubectl.run("get", "cnp", "typo", "-n", NAMESPACE).exitCode()).isNotZero();
	}

	@Test
	void wrongTypeIsRefusedByKubectlValidation() throws Exception {
		Path manifest = temp.resolve("wrong-type.yaml");
		Files.writeString(manifest, """
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata:
				  name: wrong-type
				spec:
				  endpointSelector: "app=web"
				  ingress:
				  - toPorts:
				    - ports:
				      - port: "80"
				        endPort: "lots"
				""");
		Kubectl.Result apply = kubectl.run("apply", "-n", NAMESPACE, "-f", manifest.toString());
		assertThat(apply.exitCode()).isNotZero();
		assertThat(apply.err())
			.contains("CiliumNetworkPolicy.spec.endpointSelector", "got \"string\", expected \"map\"")
			.contains("endPort", "expected \"integer\"");
	}

	@Test
	void getWatchStreamsAChange() throws Exception {
		kubectl.ok("apply", "-n", NAMESPACE, "-f", cnp("listed").toString());
		Process watch = kubectl.start("get", "cnp", "-n", NAMESPACE, "-w", "--output-watch-events");
		try {
			BufferedReader lines = new BufferedReader(
					new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8));
			BlockingQueue<String> output = new LinkedBlockingQueue<>();
			Thread reader = new Thread(() -> {
				try {
					for (String line = lines.readLine(); line != null; line = lines.readLine()) {
						output.add(line);
					}
				}
				catch (IOException ex) {
					// The process was destroyed: the stream ends.
				}
			}, "kubectl-watch-output");
			reader.setDaemon(true);
			reader.start();
			// kubectl prints what its first list found before it watches: once the
			// policy created before it shows, the change below can only reach kubectl
			// through the watch.
			assertThat(awaitLine(output, "listed")).contains("ADDED");
			kubectl.ok("apply", "-n", NAMESPACE, "-f", cnp("watched").toString());
			assertThat(awaitLine(output, "watched")).contains("ADDED");
		}
		finally {
			watch.destroyForcibly();
		}
	}

	private static Path cnp(String name) throws IOException {
		Path manifest = temp.resolve(name + ".yaml");
		Files.writeString(manifest, """
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata:
				  name: %s
				spec:
				  endpointSelector: {}
				""".formatted(name));
		return manifest;
	}

	// The first line naming the object, within a bound generous for a loaded machine.
	private static String awaitLine(BlockingQueue<String> output, String name) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			String line = output.poll(1, TimeUnit.SECONDS);
			if (line != null && line.contains(name)) {
				return line;
			}
		}
		throw new AssertionError("kubectl get -w printed no line naming " + name + " within 60 s");
	}

	private static String writeNamespaceAndPod() {
		Path manifest = temp.resolve("namespace.yaml");
		try {
			Files.writeString(manifest, """
					apiVersion: v1
					kind: Namespace
					metadata:
					  name: %1$s
					---
					apiVersion: v1
					kind: Pod
					metadata:
					  name: web
					  namespace: %1$s
					  labels:
					    app: web
					spec:
					  containers:
					  - name: web
					    image: busybox
					---
					apiVersion: v1
					kind: Service
					metadata:
					  name: web
					  namespace: %1$s
					spec:
					  selector:
					    app: web
					  ports:
					  - port: 8080
					    protocol: TCP
					""".formatted(NAMESPACE));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return manifest.toString();
	}

}
