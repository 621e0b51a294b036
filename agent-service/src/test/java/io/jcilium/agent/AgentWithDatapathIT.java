package io.jcilium.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.endpoint.BpfEndpointDatapath;
import io.jcilium.agent.datapath.lb.CgroupV2;
import io.jcilium.agent.datapath.lb.LbDatapath;
import io.jcilium.agent.datapath.lb.SocketLb;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.endpoint.EndpointDatapath;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.testsupport.Prerequisites;
import io.jcilium.testsupport.ServiceSmokeChecks;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole agent application started the way a node starts it: its eBPF datapath on
 * (every bean a real agent gets with {@code jcilium.datapath.enabled=true}: the loader
 * and pinned maps, the BPF endpoint datapath, policy maps, ipcache, Hubble's ring buffer,
 * the service LB with socket LB on a cgroup of this test), the API server fabric8's CRUD
 * mock, identity-service where nothing listens (as the agent's other application tests;
 * readiness does not wait for it). It must start and report ready. Unit-level wiring
 * tests leave the datapath side out, so a start failure there (two candidate beans for
 * one injection point, a missing one) used to surface only in the end-to-end scripts.
 */
@EnableKubernetesMockClient(crud = true)
class AgentWithDatapathIT {

	/**
	 * How long a start may take here before it counts as hung (a slow, loaded machine).
	 */
	private static final Duration READY_WITHIN = Duration.ofSeconds(180);

	static KubernetesClient client;

	@Test
	void theAgentStartsWithItsDatapathAndReportsReady() throws Exception {
		KernelRequirements.requireBpf();
		Path cgroupRoot = CgroupV2.find(Path.of("/proc/mounts")).orElse(null);
		Prerequisites.require(cgroupRoot != null,
				"the agent with socket LB needs a cgroup v2 mount (mount -t cgroup2 none <dir>)");
		MockCluster.warmUp(client);
		String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
		BpffsLayout layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT, "jcilium-it-app-" + run);
		Path cgroup = cgroupRoot.resolve("jcilium-it-app-" + run);
		Path runDir = Files.createTempDirectory("jcilium-agent-datapath-it-");
		Files.createDirectory(cgroup);
		ConfigurableApplicationContext context = null;
		try {
			context = new SpringApplicationBuilder(AgentServiceApplication.class)
				// the agent's own client, pointed at the mock (a node gets it from its
				// kubeconfig or service account)
				.initializers((GenericApplicationContext app) -> app.registerBean(KubernetesClient.class,
						() -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build()))
				.run("--server.port=0", "--spring.grpc.server.port=0", "--spring.main.cloud-platform=none",
						"--jcilium.agent.node-name=" + MockCluster.NODE,
						"--jcilium.agent.state-dir=" + runDir.resolve("state"),
						"--jcilium.agent.cni.socket-path=" + runDir.resolve("agent.sock"),
						"--jcilium.agent.ipam.pod-cidr=10.99.0.0/24",
						"--jcilium.agent.identity.target=static://127.0.0.1:"
								+ ServiceSmokeChecks.portWhereNothingListens(),
						// the mock server cannot filter pods by spec.nodeName
						"--jcilium.agent.k8s.pod-field-selector=false", "--jcilium.datapath.enabled=true",
						"--jcilium.datapath.prefix=" + layout.prefix(), "--jcilium.service.cgroup-path=" + cgroup);
			assertThat(context.getBean(EndpointDatapath.class)).isInstanceOf(BpfEndpointDatapath.class);
			assertThat(context.getBean(LbDatapath.class).isRunning()).isTrue();
			String port = context.getEnvironment().getProperty("local.server.port");
			String readiness = awaitReady("http://127.0.0.1:" + port + "/actuator/health/readiness");
			assertThat(JsonPath.<String>read(readiness, "$.components.socketLb.status")).isEqualTo("UP");
			assertThat(JsonPath.<String>read(readiness, "$.components.socketLb.details.cgroup"))
				.isEqualTo(cgroup.toString());
			assertThat(Files.exists(layout.directory().resolve("lb_services"))).isTrue();
		}
		finally {
			if (context != null) {
				context.close();
			}
			// stopping keeps the socket programs attached (a restart); the test
			// uninstalls
			try {
				SocketLb.detachPinned(TestLibbpf.get(), layout.directory().resolve(LbDatapath.LINK_DIRECTORY));
			}
			finally {
				layout.removeAll();
				Files.deleteIfExists(cgroup);
				try (Stream<Path> paths = Files.walk(runDir)) {
					paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
				}
			}
		}
	}

	private static String awaitReady(String url) throws IOException, InterruptedException {
		HttpClient http = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + READY_WITHIN.toNanos();
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			last = response.statusCode() + " " + response.body();
			if (response.statusCode() == 200) {
				return response.body();
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the agent was not ready within " + READY_WITHIN + ": " + last);
	}

}
