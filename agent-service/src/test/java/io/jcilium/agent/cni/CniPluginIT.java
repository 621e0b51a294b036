package io.jcilium.agent.cni;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.jcilium.agent.endpoint.EndpointManager;
import io.jcilium.agent.endpoint.InitIdentityResolver;
import io.jcilium.agent.endpoint.LoggingEndpointDatapath;
import io.jcilium.agent.endpoint.PersistentPodIps;
import io.jcilium.agent.link.IpCommandLinkOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real plugin script, run as a container runtime runs it (CNI_* environment, config
 * on stdin), against a running agent API with real veths, addresses and routes in a
 * network namespace made for the test. Needs root, iproute2, nsenter, curl and ping.
 */
class CniPluginIT {

	private static final String CONFIG = "{\"cniVersion\":\"%s\",\"name\":\"jcilium\",\"type\":\"jcilium-cni\"}";

	@TempDir
	Path dir;

	private final String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);

	private final List<String> namespaces = new ArrayList<>();

	private final List<String> containers = new ArrayList<>();

	private final IpCommandLinkOperations links = new IpCommandLinkOperations();

	private PersistentPodIps ips;

	private AgentApiServer agent;

	private Path socket;

	@BeforeEach
	void startAgent() {
		Privileges.requireRootAnd("ip", "nsenter", "curl", "ping");
		// A /24 of 10.213.0.0/16 per run: routes of a run never meet another's.
		this.ips = new PersistentPodIps("10.213." + ThreadLocalRandom.current().nextInt(256) + ".0/24",
				this.dir.resolve("state/pod-ip-allocations"));
		EndpointManager endpoints = new EndpointManager(this.links, this.ips, new InitIdentityResolver(),
				new LoggingEndpointDatapath());
		this.socket = this.dir.resolve("agent.sock");
		this.agent = new AgentApiServer(this.socket, 4, endpoints, this.links);
		this.agent.start();
	}

	@AfterEach
	void cleanUp() throws Exception {
		for (String container : this.containers) {
			this.links.deletePodLink(EndpointManager.hostIfName(container, "eth0"));
		}
		for (String namespace : this.namespaces) {
			Commands.run(List.of("ip", "netns", "del", namespace), "");
		}
		if (this.agent != null) {
			this.agent.stop();
		}
	}

	@Test
	void addConnectsAPodTheNodeCanPingAndDelRemovesIt() throws Exception {
		String netns = newNamespace("pod");
		String container = newContainer();

		Commands.Result add = plugin("ADD", container, netns, "1.0.0");
		assertThat(add.exitCode()).as(add.output()).isZero();
		JsonNode result = Json.MAPPER.readTree(add.output());
		String address = result.path("ips").get(0).path("address").asString();
		String ip = address.substring(0, address.indexOf('/'));
		assertThat(address).endsWith("/32");

		String nsName = netns.substring(netns.lastIndexOf('/') + 1);
		assertThat(Commands.ok(List.of("ip", "-n", nsName, "-4", "-o", "addr", "show", "dev", "eth0")))
			.contains("inet " + address);
		assertThat(Commands.ok(List.of("ip", "-n", nsName, "route", "show")))
			.contains("default via 169.254.1.1 dev eth0")
			.contains("169.254.1.1 dev eth0 scope link");
		String hostIf = EndpointManager.hostIfName(container, "eth0");
		assertThat(Path.of("/sys/class/net", hostIf)).exists();
		assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/conf", hostIf, "proxy_arp")).strip()).isEqualTo("1");
		assertThat(Commands.run(List.of("ping", "-c", "1", "-W", "2", ip), "").exitCode()).as("ping " + ip).isZero();

		String endpoints = Commands
			.ok(List.of("curl", "-sS", "--unix-socket", this.socket.toString(), "http://localhost/v1/endpoint"));
		assertThat(Json.MAPPER.readTree(endpoints)).singleElement().satisfies((endpoint) -> {
			assertThat(endpoint.path("state").asString()).isEqualTo("ready");
			assertThat(endpoint.path("address").asString()).isEqualTo(ip);
		});
		assertThat(plugin("CHECK", container, netns, "1.0.0").exitCode()).isZero();

		Commands.Result del = plugin("DEL", container, netns, "1.0.0");
		assertThat(del.exitCode()).as(del.output()).isZero();
		assertThat(Path.of("/sys/class/net", hostIf)).doesNotExist();
		assertThat(this.ips.ownerOf(java.net.InetAddress.getByName(ip))).isEmpty();
		assertThat(plugin("DEL", container, netns, "1.0.0").exitCode()).as("second DEL").isZero();
	}

	@Test
	void addIntoAMissingNamespaceAnswersACniErrorAndLeavesNothing() throws Exception {
		String container = newContainer();
		Commands.Result add = plugin("ADD", container, "/run/netns/jcni-missing-" + this.runId, "0.4.0");

		assertThat(add.exitCode()).isEqualTo(1);
		JsonNode error = Json.MAPPER.readTree(add.output());
		assertThat(error.path("cniVersion").asString()).isEqualTo("0.4.0");
		assertThat(error.path("code").asInt()).isEqualTo(CniError.LINK_SETUP_FAILED);
		assertThat(error.path("details").asString()).contains("does not exist");
		assertThat(Path.of("/sys/class/net", EndpointManager.hostIfName(container, "eth0"))).doesNotExist();
		assertThat(plugin("DEL", container, "", "0.4.0").exitCode()).as("DEL after a failed ADD").isZero();
	}

	@Test
	void versionListsTheSupportedVersionsWithoutAnAgent() throws Exception {
		this.agent.stop();
		Commands.Result version = Commands.run(List.of(pluginPath().toString()), "",
				Map.of("CNI_COMMAND", "VERSION", "JCILIUM_AGENT_SOCKET", this.socket.toString()));
		assertThat(version.exitCode()).isZero();
		assertThat(Json.MAPPER.readTree(version.output()).path("supportedVersions").toString())
			.isEqualTo("[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\"]");
		Commands.Result add = plugin("ADD", newContainer(), "/run/netns/x", "1.0.0");
		assertThat(Json.MAPPER.readTree(add.output()).path("code").asInt()).isEqualTo(CniError.TRY_AGAIN_LATER);
	}

	Commands.Result plugin(String command, String container, String netns, String version) throws IOException {
		return Commands.run(List.of(pluginPath().toString()), CONFIG.formatted(version),
				Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", container, "CNI_NETNS", netns, "CNI_IFNAME", "eth0",
						"CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=" + container, "CNI_PATH", "/opt/cni/bin",
						"JCILIUM_AGENT_SOCKET", this.socket.toString()));
	}

	String newNamespace(String what) throws IOException {
		String name = "jcni-" + this.runId + "-" + what;
		Commands.ok(List.of("ip", "netns", "add", name));
		this.namespaces.add(name);
		return "/run/netns/" + name;
	}

	String newContainer() {
		String id = this.runId + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
		this.containers.add(id);
		return id;
	}

	static Path pluginPath() {
		return Path.of("src/main/cni/jcilium-cni").toAbsolutePath();
	}

	static String utf8(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
