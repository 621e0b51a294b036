package io.jcilium.agent.cni;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.jcilium.agent.endpoint.EndpointLifecycleSettings;
import io.jcilium.agent.endpoint.EndpointManager;
import io.jcilium.agent.endpoint.Eventually;
import io.jcilium.agent.endpoint.FlakyIdentityResolver;
import io.jcilium.agent.endpoint.InMemoryPodMetadata;
import io.jcilium.agent.endpoint.PersistentPodIps;
import io.jcilium.agent.endpoint.RecordingEndpointDatapath;
import io.jcilium.agent.link.LinkOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint lifecycle with real veths in real network namespaces, driven by the real
 * plugin over the agent's unix socket: ADD for a pod the API server does not know yet
 * fails with "try again later" leaving nothing behind, and succeeds when retried once it
 * is known; a restarted agent takes over a live pod without touching its veth. Needs
 * root, iproute2, nsenter, curl and ping.
 */
class EndpointLifecycleIT {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path dir;

	private final InMemoryPodMetadata pods = new InMemoryPodMetadata();

	private final FlakyIdentityResolver identities = new FlakyIdentityResolver(0);

	private final RecordingEndpointDatapath datapath = new RecordingEndpointDatapath();

	private AgentFixture fixture;

	private EndpointManager restarted;

	private AgentApiServer restartedApi;

	@BeforeEach
	void startAgent() {
		Privileges.requireRootAnd("ip", "nsenter", "curl", "ping");
		this.fixture = new AgentFixture(this.dir, this::manager);
	}

	@AfterEach
	void cleanUp() throws Exception {
		if (this.restartedApi != null) {
			this.restartedApi.stop();
		}
		if (this.restarted != null) {
			this.restarted.close();
		}
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	private EndpointManager manager(LinkOperations links, PersistentPodIps ips) {
		return new EndpointManager(links, ips, this.identities, this.datapath, this.pods, List.of(),
				new EndpointLifecycleSettings(Duration.ofSeconds(3), Duration.ofMillis(50), Duration.ofMillis(500), 2,
						this.dir.resolve("state/endpoints")));
	}

	@Test
	void addForAPodTheApiServerDoesNotKnowYetFailsTryAgainLaterAndSucceedsWhenRetriedLater() throws Exception {
		String netns = this.fixture.newNamespace("wait");
		String container = this.fixture.newContainer();
		String pod = "web-" + this.fixture.runId;
		String args = "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=" + pod;

		Commands.Result add = this.fixture.plugin("ADD", container, netns, "1.0.0", args);
		assertThat(add.exitCode()).as("ADD fails for a pod nothing enforces yet").isNotZero();
		JsonNode error = Json.MAPPER.readTree(add.output());
		assertThat(error.path("code").asInt()).isEqualTo(ExpectedCniCodes.TRY_AGAIN_LATER);
		assertThat(error.path("details").asText()).contains("waiting-for-identity")
			.contains("pod default/" + pod + " not yet seen from the API server")
			.contains("traffic dropped (init identity)");
		assertThat(endpoints()).as("no endpoint left").isEmpty();
		assertThat(Path.of("/sys/class/net", EndpointManager.hostIfName(container, "eth0"))).as("no veth left")
			.doesNotExist();
		assertThat(this.fixture.ips.allocations()).as("no address left").isEmpty();
		assertThat(this.fixture.plugin("DEL", container, netns, "1.0.0").exitCode()).as("the runtime's DEL").isZero();

		this.pods.put("default", pod, "k8s:app=web");
		Commands.Result retried = this.fixture.plugin("ADD", container, netns, "1.0.0", args);
		assertThat(retried.exitCode()).as(retried.output()).isZero();
		String ip = address(Json.MAPPER.readTree(retried.output()));
		assertThat(endpoint().path("state").asText()).isEqualTo("ready");
		assertThat(endpoint().path("identity").asLong()).isGreaterThanOrEqualTo(1000);
		assertThat(ping(ip)).isTrue();
	}

	@Test
	void restartedAgentTakesOverTheLivePodKeepingItsVethAndAddress() throws Exception {
		String netns = this.fixture.newNamespace("restore");
		String container = this.fixture.newContainer();
		String pod = "db-" + this.fixture.runId;
		this.pods.put("default", pod, "k8s:app=db");
		Commands.Result add = this.fixture.plugin("ADD", container, netns, "1.0.0",
				"IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=" + pod);
		assertThat(add.exitCode()).as(add.output()).isZero();
		String ip = address(Json.MAPPER.readTree(add.output()));
		JsonNode before = endpoint();
		assertThat(before.path("state").asText()).isEqualTo("ready");
		String hostIf = EndpointManager.hostIfName(container, "eth0");
		String ifIndex = Files.readString(Path.of("/sys/class/net", hostIf, "ifindex")).strip();

		this.fixture.agent.stop();
		this.fixture.endpoints.close();
		assertThat(Path.of("/sys/class/net", hostIf)).as("stopping the agent keeps the veth").exists();
		assertThat(ping(ip)).as("the pod stays reachable while no agent runs").isTrue();

		this.restarted = manager(this.fixture.links,
				new PersistentPodIps(this.fixture.ips.podCidr(), this.dir.resolve("state/pod-ip-allocations")));
		assertThat(this.restarted.restore()).hasSize(1);
		this.restartedApi = new AgentApiServer(this.fixture.socket, 4, this.restarted, this.fixture.links);
		this.restartedApi.start();

		Eventually.await("restored endpoint ready", WAIT, () -> "ready".equals(endpoint().path("state").asText()));
		JsonNode after = endpoint();
		assertThat(after.path("id").asInt()).isEqualTo(before.path("id").asInt());
		assertThat(after.path("address").asText()).isEqualTo(ip);
		assertThat(after.path("identity").asLong()).isEqualTo(before.path("identity").asLong());
		assertThat(after.path("hostIfIndex").asText()).as("the same veth, never recreated").isEqualTo(ifIndex);
		assertThat(this.datapath.restored).containsExactly(before.path("id").asInt());
		assertThat(this.datapath.removed).isEmpty();
		assertThat(ping(ip)).isTrue();

		Commands.Result del = this.fixture.plugin("DEL", container, netns, "1.0.0");
		assertThat(del.exitCode()).as(del.output()).isZero();
		assertThat(Path.of("/sys/class/net", hostIf)).doesNotExist();
		assertThat(this.dir.resolve("state/endpoints/" + before.path("id").asInt() + ".json")).doesNotExist();
	}

	@Test
	void aCorruptStateFileAtRestartKeepsTheRunningPodsVethAndAddressAndIsReported() throws Exception {
		String netns = this.fixture.newNamespace("corrupt");
		String container = this.fixture.newContainer();
		Commands.Result add = this.fixture.plugin("ADD", container, netns, "1.0.0");
		assertThat(add.exitCode()).as(add.output()).isZero();
		String ip = address(Json.MAPPER.readTree(add.output()));
		int id = endpoint().path("id").asInt();
		String hostIf = EndpointManager.hostIfName(container, "eth0");
		this.fixture.agent.stop();
		this.fixture.endpoints.close();
		Path state = this.dir.resolve("state/endpoints/" + id + ".json");
		Files.writeString(state, Files.readString(state).substring(0, 20));

		this.restarted = manager(this.fixture.links,
				new PersistentPodIps(this.fixture.ips.podCidr(), this.dir.resolve("state/pod-ip-allocations")));
		assertThat(this.restarted.restore()).isEmpty();
		this.restartedApi = new AgentApiServer(this.fixture.socket, 4, this.restarted, this.fixture.links);
		this.restartedApi.start();

		assertThat(Path.of("/sys/class/net", hostIf)).as("the running pod's veth is kept").exists();
		assertThat(ping(ip)).as("and the pod stays reachable").isTrue();
		JsonNode quarantined = Json.MAPPER.readTree(Commands.ok(List.of("curl", "-sS", "--unix-socket",
				this.fixture.socket.toString(), "http://localhost/v1/endpoint/quarantine")));
		assertThat(quarantined).singleElement()
			.satisfies((file) -> assertThat(file.path("file").asText()).contains(id + ".json"));

		String otherNetns = this.fixture.newNamespace("after");
		Commands.Result other = this.fixture.plugin("ADD", this.fixture.newContainer(), otherNetns, "1.0.0");
		assertThat(other.exitCode()).as(other.output()).isZero();
		String otherIp = address(Json.MAPPER.readTree(other.output()));
		assertThat(otherIp).as("the held address is not handed out twice").isNotEqualTo(ip);
		assertThat(ping(ip)).isTrue();
		assertThat(ping(otherIp)).isTrue();

		Commands.Result del = this.fixture.plugin("DEL", container, netns, "1.0.0");
		assertThat(del.exitCode()).as(del.output()).isZero();
		assertThat(Path.of("/sys/class/net", hostIf)).as("CNI DEL frees what was held").doesNotExist();
		assertThat(this.restarted.list()).hasSize(1);
	}

	private JsonNode endpoints() throws IOException {
		return Json.MAPPER.readTree(Commands.ok(List.of("curl", "-sS", "--unix-socket", this.fixture.socket.toString(),
				"http://localhost/v1/endpoint")));
	}

	private JsonNode endpoint() {
		try {
			String body = Commands.ok(List.of("curl", "-sS", "--unix-socket", this.fixture.socket.toString(),
					"http://localhost/v1/endpoint"));
			JsonNode endpoints = Json.MAPPER.readTree(body);
			assertThat(endpoints).hasSize(1);
			return endpoints.get(0);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String address(JsonNode result) {
		String address = result.path("ips").get(0).path("address").asText();
		return address.substring(0, address.indexOf('/'));
	}

	private static boolean ping(String ip) throws IOException {
		return Commands.run(List.of("ping", "-c", "1", "-W", "2", ip), "").exitCode() == 0;
	}

}
