package io.jcilium.agent.cni;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;

import io.jcilium.agent.endpoint.EndpointManager;
import io.jcilium.agent.endpoint.InitIdentityResolver;
import io.jcilium.agent.endpoint.RecordingEndpointDatapath;
import io.jcilium.agent.endpoint.PersistentPodIps;
import io.jcilium.agent.link.LinkOperations;
import io.jcilium.agent.datapath.link.NetlinkLinkOperations;

/**
 * A running agent API with real links (no Spring context), the real plugin script, and
 * everything a test creates remembered so {@link #close()} removes it, also after a
 * failure. Names carry a per-run id.
 */
final class AgentFixture implements AutoCloseable {

	private static final String CONFIG = "{\"cniVersion\":\"%s\",\"name\":\"jcilium\",\"type\":\"jcilium-cni\"}";

	final String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);

	final LinkOperations links = new NetlinkLinkOperations();

	final PersistentPodIps ips;

	final EndpointManager endpoints;

	final AgentApiServer agent;

	final Path socket;

	private final List<String> namespaces = new ArrayList<>();

	private final List<String> containers = new ArrayList<>();

	AgentFixture(Path dir) {
		this(dir, AgentFixture::defaultEndpoints);
	}

	/** With an endpoint manager of the test's making over the fixture's links and IPs. */
	AgentFixture(Path dir, BiFunction<LinkOperations, PersistentPodIps, EndpointManager> endpoints) {
		this(dir, AgentApiSettings.withWorkers(8), endpoints);
	}

	/** With socket bounds of the test's choosing. */
	AgentFixture(Path dir, AgentApiSettings settings,
			BiFunction<LinkOperations, PersistentPodIps, EndpointManager> endpoints) {
		// A /24 of 10.213.0.0/16 per run: routes of a run never meet another's.
		this.ips = new PersistentPodIps("10.213." + ThreadLocalRandom.current().nextInt(256) + ".0/24",
				dir.resolve("state/pod-ip-allocations"));
		this.endpoints = endpoints.apply(this.links, this.ips);
		this.socket = dir.resolve("agent.sock");
		this.agent = new AgentApiServer(this.socket, settings, this.endpoints, this.links);
		this.agent.start();
	}

	static EndpointManager defaultEndpoints(LinkOperations links, PersistentPodIps ips) {
		return new EndpointManager(links, ips, new InitIdentityResolver(), new RecordingEndpointDatapath());
	}

	Commands.Result plugin(String command, String container, String netns, String version) throws IOException {
		return plugin(command, container, netns, version, "IgnoreUnknown=1;K8S_POD_NAME=" + container);
	}

	Commands.Result plugin(String command, String container, String netns, String version, String cniArgs)
			throws IOException {
		return plugin(command, container, netns, "eth0", version, cniArgs);
	}

	Commands.Result plugin(String command, String container, String netns, String ifName, String version,
			String cniArgs) throws IOException {
		return Commands.run(List.of(pluginPath().toString()), CONFIG.formatted(version),
				Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", container, "CNI_NETNS", netns, "CNI_IFNAME", ifName,
						"CNI_ARGS", cniArgs, "CNI_PATH", "/opt/cni/bin", "JCILIUM_AGENT_SOCKET",
						this.socket.toString()));
	}

	/** Creates a network namespace and returns its path. */
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
		return Path.of("target/classes/cni/jcilium-cni").toAbsolutePath();
	}

	@Override
	public void close() throws IOException {
		for (String container : this.containers) {
			this.links.deletePodLink(EndpointManager.hostIfName(container, "eth0"));
			this.links.deletePodLink(EndpointManager.hostIfName(container, "eth1"));
		}
		for (String namespace : this.namespaces) {
			Commands.run(List.of("ip", "netns", "del", namespace), "");
		}
		this.agent.stop();
		this.endpoints.close();
	}

}
