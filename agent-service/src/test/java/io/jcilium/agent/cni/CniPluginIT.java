package io.jcilium.agent.cni;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.jcilium.agent.endpoint.EndpointManager;
import io.jcilium.agent.endpoint.PersistentPodIps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real plugin script, run as a container runtime runs it (CNI_* environment, config
 * on stdin), against a running agent API with real veths, addresses and routes in a
 * network namespace made for the test. Needs root, iproute2, nsenter, curl and ping.
 */
class CniPluginIT {

	@TempDir
	Path dir;

	private AgentFixture fixture;

	@BeforeEach
	void startAgent() {
		Privileges.requireRootAnd("ip", "nsenter", "curl", "ping");
		this.fixture = new AgentFixture(this.dir);
	}

	@AfterEach
	void cleanUp() throws Exception {
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	@Test
	void addConnectsAPodTheNodeCanPingAndDelRemovesIt() throws Exception {
		String netns = this.fixture.newNamespace("pod");
		String container = this.fixture.newContainer();

		Commands.Result add = plugin("ADD", container, netns, "1.0.0");
		assertThat(add.exitCode()).as(add.output()).isZero();
		JsonNode result = Json.MAPPER.readTree(add.output());
		String address = result.path("ips").get(0).path("address").asText();
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

		String endpoints = Commands.ok(List.of("curl", "-sS", "--unix-socket", this.fixture.socket.toString(),
				"http://localhost/v1/endpoint"));
		assertThat(Json.MAPPER.readTree(endpoints)).singleElement().satisfies((endpoint) -> {
			assertThat(endpoint.path("state").asText()).isEqualTo("ready");
			assertThat(endpoint.path("address").asText()).isEqualTo(ip);
		});
		assertThat(plugin("CHECK", container, netns, "1.0.0").exitCode()).isZero();

		Commands.Result del = plugin("DEL", container, netns, "1.0.0");
		assertThat(del.exitCode()).as(del.output()).isZero();
		assertThat(Path.of("/sys/class/net", hostIf)).doesNotExist();
		assertThat(this.fixture.ips.ownerOf(InetAddress.getByName(ip))).isEmpty();
		assertThat(plugin("DEL", container, netns, "1.0.0").exitCode()).as("second DEL").isZero();
	}

	@Test
	void addIntoAMissingNamespaceAnswersACniErrorAndLeavesNothing() throws Exception {
		String container = this.fixture.newContainer();
		Commands.Result add = plugin("ADD", container, "/run/netns/jcni-missing-" + this.fixture.runId, "0.4.0");

		assertThat(add.exitCode()).isEqualTo(1);
		JsonNode error = Json.MAPPER.readTree(add.output());
		assertThat(error.path("cniVersion").asText()).isEqualTo("0.4.0");
		assertThat(error.path("code").asInt()).isEqualTo(ExpectedCniCodes.LINK_SETUP);
		assertThat(error.path("details").asText()).contains("does not exist");
		assertThat(Path.of("/sys/class/net", EndpointManager.hostIfName(container, "eth0"))).doesNotExist();
		assertThat(plugin("DEL", container, "", "0.4.0").exitCode()).as("DEL after a failed ADD").isZero();
	}

	@Test
	void versionListsTheSupportedVersionsWithoutAnAgent() throws Exception {
		this.fixture.agent.stop();
		Commands.Result version = Commands.run(List.of(AgentFixture.pluginPath().toString()), "",
				Map.of("CNI_COMMAND", "VERSION", "JCILIUM_AGENT_SOCKET", this.fixture.socket.toString()));
		assertThat(version.exitCode()).isZero();
		assertThat(Json.MAPPER.readTree(version.output()).path("supportedVersions").toString())
			.isEqualTo("[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\"]");
		Commands.Result add = plugin("ADD", this.fixture.newContainer(), "/run/netns/x", "1.0.0");
		assertThat(Json.MAPPER.readTree(add.output()).path("code").asInt()).isEqualTo(ExpectedCniCodes.TRY_AGAIN_LATER);
	}

	@Test
	void hostileIdsNamesAndPathsAreRefusedWithCode4AndTheStateStaysReadable() throws Exception {
		String netns = this.fixture.newNamespace("hostile");
		String good = this.fixture.newContainer();
		// CNI spec 1.0, section 2 "Parameters" and the interface name rules of libcni: an
		// invalid CNI_* variable is error 4, "Invalid necessary environment variables",
		// whose message must name the variable (spec, "Well-known Error Codes").
		Map<String, String[]> hostile = Map.of("CNI_CONTAINERID",
				new String[] { good + " x", "-" + good, good + "/../x", good + ";x" }, "CNI_IFNAME",
				new String[] { "eth0 x", "..", "a/b", "a:b", "eth0123456789abc" }, "CNI_NETNS",
				new String[] { "run/netns/x", netns + "/../../../etc/passwd", netns + " x" });
		for (Map.Entry<String, String[]> variable : hostile.entrySet()) {
			for (String value : variable.getValue()) {
				String container = variable.getKey().equals("CNI_CONTAINERID") ? value : good;
				String ifName = variable.getKey().equals("CNI_IFNAME") ? value : "eth0";
				String path = variable.getKey().equals("CNI_NETNS") ? value : netns;
				Commands.Result add = this.fixture.plugin("ADD", container, path, ifName, "1.0.0", "");
				assertThat(add.exitCode()).as(variable.getKey() + "=" + value + ": " + add.output()).isEqualTo(1);
				JsonNode error = Json.MAPPER.readTree(add.output());
				assertThat(error.path("code").asInt()).as(add.output()).isEqualTo(4);
				assertThat(error.path("msg").asText() + error.path("details").asText()).contains(variable.getKey());
			}
		}

		Commands.Result add = plugin("ADD", good, netns, "1.0.0");
		assertThat(add.exitCode()).as(add.output()).isZero();
		PersistentPodIps restarted = new PersistentPodIps(this.fixture.ips.podCidr(),
				this.dir.resolve("state/pod-ip-allocations"));
		assertThat(restarted.allocations()).as("what a restarted agent reads back").hasSize(1);
	}

	@Test
	void addAndDelOfASecondInterfaceKeepTheFirstInterfacesAddressAndTraffic() throws Exception {
		String netns = this.fixture.newNamespace("twoifs");
		String container = this.fixture.newContainer();
		Commands.Result eth0 = this.fixture.plugin("ADD", container, netns, "eth0", "1.0.0", "");
		assertThat(eth0.exitCode()).as(eth0.output()).isZero();
		String ip0 = address(eth0);
		// A second interface in the same namespace cannot take the pod's routes (they are
		// eth0's), so its ADD may fail; either way, undoing it and its DEL concern eth1.
		this.fixture.plugin("ADD", container, netns, "eth1", "1.0.0", "");
		Commands.Result del = this.fixture.plugin("DEL", container, netns, "eth1", "1.0.0", "");
		assertThat(del.exitCode()).as(del.output()).isZero();

		assertThat(this.fixture.ips.ownerOf(InetAddress.getByName(ip0))).isPresent();
		assertThat(Path.of("/sys/class/net", EndpointManager.hostIfName(container, "eth0"))).exists();
		assertThat(Commands.run(List.of("ping", "-c", "1", "-W", "2", ip0), "").exitCode()).as("ping " + ip0).isZero();
		Commands.Result other = plugin("ADD", this.fixture.newContainer(), this.fixture.newNamespace("other"), "1.0.0");
		assertThat(other.exitCode()).as(other.output()).isZero();
		assertThat(address(other)).as("eth0's address is not handed out again").isNotEqualTo(ip0);
	}

	private static String address(Commands.Result add) throws IOException {
		String address = Json.MAPPER.readTree(add.output()).path("ips").get(0).path("address").asText();
		return address.substring(0, address.indexOf('/'));
	}

	private Commands.Result plugin(String command, String container, String netns, String version) throws IOException {
		return this.fixture.plugin(command, container, netns, version);
	}

}
