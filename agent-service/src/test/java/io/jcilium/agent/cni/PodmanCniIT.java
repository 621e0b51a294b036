package io.jcilium.agent.cni;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CNI client none of us wrote: podman 4.3 with its CNI network backend, configured
 * through a containers.conf of this test only ({@code CONTAINERS_CONF}) and a conflist
 * naming our plugin, runs a busybox container that gets its address and veth from the
 * agent; removing the container makes podman call DEL.
 */
class PodmanCniIT {

	@TempDir
	Path dir;

	private AgentFixture fixture;

	private Map<String, String> podmanEnv;

	private String image;

	private final List<String> containers = new ArrayList<>();

	@BeforeEach
	void setUp() throws IOException {
		Privileges.requireRootAnd("ip", "nsenter", "curl", "ping", "podman", "runc", "busybox");
		this.fixture = new AgentFixture(this.dir);
		String network = "jcni-" + this.fixture.runId;
		Path netConf = Files.createDirectories(this.dir.resolve("net.d"));
		Files.writeString(netConf.resolve("50-" + network + ".conflist"),
				"{\"cniVersion\":\"1.0.0\",\"name\":\"" + network
						+ "\",\"plugins\":[{\"type\":\"jcilium-cni\",\"agentSocket\":\"" + this.fixture.socket
						+ "\"}]}");
		Path containersConf = this.dir.resolve("containers.conf");
		Files.writeString(containersConf,
				String.join("\n", "[containers]", "default_ulimits = []", "[engine]", "runtime = \"runc\"", "[network]",
						"network_backend = \"cni\"",
						"cni_plugin_dirs = [\"" + AgentFixture.pluginPath().getParent() + "\", \"/usr/lib/cni\"]",
						"network_config_dir = \"" + netConf + "\"", ""));
		// No JCILIUM_AGENT_SOCKET: podman may run DEL from conmon's cleanup process,
		// which does
		// not carry this environment, so the socket must come from the network config.
		this.podmanEnv = Map.of("CONTAINERS_CONF", containersConf.toString());
		this.image = importBusyboxImage();
	}

	@AfterEach
	void cleanUp() throws Exception {
		for (String container : this.containers) {
			podman("rm", "-f", "-t", "0", container);
		}
		if (this.image != null) {
			podman("rmi", "-f", this.image);
		}
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	@Test
	void podmanRunGetsOurAddressAndRemovalFreesIt() throws Exception {
		String network = "jcni-" + this.fixture.runId;
		Commands.Result run = podman("run", "-d", "--name", network + "-c", "--network", network, "--cap-add",
				"NET_RAW", this.image, "/bin/busybox", "sleep", "60");
		assertThat(run.exitCode()).as(run.output()).isZero();
		String containerId = run.output().strip();
		this.containers.add(containerId);

		JsonNode endpoints = Json.MAPPER.readTree(Commands.ok(List.of("curl", "-sS", "--unix-socket",
				this.fixture.socket.toString(), "http://localhost/v1/endpoint")));
		assertThat(endpoints).hasSize(1);
		JsonNode endpoint = endpoints.get(0);
		assertThat(endpoint.path("containerId").asText()).isEqualTo(containerId);
		assertThat(endpoint.path("state").asText()).isEqualTo("ready");
		String ip = endpoint.path("address").asText();

		String inside = podman("exec", containerId, "/bin/busybox", "ip", "-4", "addr", "show", "eth0").output();
		assertThat(inside).contains("inet " + ip + "/32");
		assertThat(Commands.run(List.of("ping", "-c", "1", "-W", "2", ip), "").exitCode()).as("ping " + ip).isZero();

		Commands.Result removed = podman("rm", "-f", "-t", "0", containerId);
		assertThat(removed.exitCode()).as(removed.output()).isZero();
		// The network teardown (CNI DEL) can run from conmon's cleanup process, which may
		// finish after 'podman rm' has returned: wait for it, within a bound.
		InetAddress address = InetAddress.getByName(ip);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
		while (this.fixture.ips.ownerOf(address).isPresent() && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(Path.of("/sys/class/net", endpoint.path("hostIfName").asText())).doesNotExist();
		assertThat(this.fixture.ips.ownerOf(address)).as("address freed by DEL; podman rm said: " + removed.output())
			.isEmpty();
	}

	private String importBusyboxImage() throws IOException {
		Path rootfs = Files.createDirectories(this.dir.resolve("rootfs/bin"));
		Files.copy(Path.of(Commands.ok(List.of("sh", "-c", "command -v busybox")).strip()), rootfs.resolve("busybox"));
		Path tar = this.dir.resolve("rootfs.tar");
		Commands.ok(List.of("tar", "-C", this.dir.resolve("rootfs").toString(), "-cf", tar.toString(), "."));
		String name = "localhost/jcilium-cni-it:" + this.fixture.runId;
		Commands.Result imported = podman("import", tar.toString(), name);
		assertThat(imported.exitCode()).as(imported.output()).isZero();
		return name;
	}

	private Commands.Result podman(String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of("podman"));
		command.addAll(List.of(args));
		return Commands.run(command, "", this.podmanEnv);
	}

}
