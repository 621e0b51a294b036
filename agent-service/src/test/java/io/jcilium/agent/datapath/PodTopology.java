package io.jcilium.agent.datapath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node network namespace with pod namespaces attached by veth pairs, routed the way the
 * agent wires pods: the pod has a /32 and a default route via 169.254.1.1, the host side
 * answers ARP by proxy and has a /32 route to the pod. Names carry a random run id so
 * parallel runs do not collide; {@link #close()} deletes the namespaces (and with them
 * the veths, qdiscs and filters) and is safe to call after a half-finished setup.
 */
public final class PodTopology implements AutoCloseable {

	private static final String GATEWAY = "169.254.1.1";

	private static final String GATEWAY6 = "fe80::1";

	private final String runId;

	private final List<String> namespaces = new ArrayList<>();

	private final List<Pod> pods = new ArrayList<>();

	public PodTopology() {
		this.runId = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
	}

	/**
	 * Creates the node namespace.
	 * @return this
	 */
	public PodTopology createNode() {
		String node = nodeNamespace();
		run("ip", "netns", "add", node);
		this.namespaces.add(node);
		inNode("ip", "link", "set", "lo", "up");
		// Proxy ARP answers only for addresses the node can route; the pods' gateway must
		// be one.
		inNode("ip", "addr", "add", GATEWAY + "/32", "dev", "lo");
		inNode("sysctl", "-qw", "net.ipv4.ip_forward=1");
		inNode("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
		// devices created later inherit this: no duplicate address detection delaying
		// IPv6 (the addresses are unique by construction)
		inNode("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
		return this;
	}

	/**
	 * Adds a pod namespace with one IPv4 address, wired to the node.
	 * @param name short name (a letter or two)
	 * @param address the pod's IPv4
	 * @return the pod
	 */
	public Pod addPod(String name, String address) {
		return addPod(name, address, null);
	}

	/**
	 * Adds a pod namespace with an IPv4 and optionally an IPv6 address, wired to the
	 * node. IPv6 routing mirrors IPv4: the pod has a /128 and a default route via the
	 * link-local gateway fe80::1 on the host side, the node a /128 route to the pod.
	 * @param name short name (a letter or two)
	 * @param address the pod's IPv4
	 * @param address6 the pod's IPv6, or null
	 * @return the pod
	 */
	public Pod addPod(String name, String address, String address6) {
		String ns = "jcp" + name + "-" + this.runId;
		String hostIf = "lxc" + name + this.runId;
		run("ip", "netns", "add", ns);
		this.namespaces.add(ns);
		exec(ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
		run("ip", "link", "add", hostIf, "netns", nodeNamespace(), "type", "veth", "peer", "name", "eth0", "netns", ns);
		exec(ns, "ip", "link", "set", "lo", "up");
		exec(ns, "ip", "addr", "add", address + "/32", "dev", "eth0");
		exec(ns, "ip", "link", "set", "eth0", "up");
		exec(ns, "ip", "route", "add", GATEWAY, "dev", "eth0", "scope", "link");
		exec(ns, "ip", "route", "add", "default", "via", GATEWAY, "dev", "eth0");
		inNode("ip", "link", "set", hostIf, "up");
		inNode("sysctl", "-qw", "net.ipv4.conf." + hostIf + ".proxy_arp=1");
		inNode("sysctl", "-qw", "net.ipv4.conf." + hostIf + ".forwarding=1");
		inNode("sysctl", "-qw", "net.ipv4.neigh." + hostIf + ".proxy_delay=0");
		inNode("ip", "route", "add", address + "/32", "dev", hostIf);
		if (address6 != null) {
			exec(ns, "ip", "-6", "addr", "add", address6 + "/128", "dev", "eth0", "nodad");
			exec(ns, "ip", "-6", "route", "add", "default", "via", GATEWAY6, "dev", "eth0");
			inNode("ip", "-6", "addr", "add", GATEWAY6 + "/64", "dev", hostIf, "nodad");
			inNode("ip", "-6", "route", "add", address6 + "/128", "dev", hostIf);
		}
		Pod pod = new Pod(name, ns, hostIf, address, address6);
		this.pods.add(pod);
		return pod;
	}

	/**
	 * The MAC of a pod's host-side veth (the pod's gateway).
	 * @param pod the pod
	 * @return 6 bytes
	 */
	public byte[] hostMac(Pod pod) {
		return macAddress(nodeNamespace(), pod.hostInterface());
	}

	public String runId() {
		return this.runId;
	}

	public String nodeNamespace() {
		return "jcnode-" + this.runId;
	}

	public Path nodeNamespacePath() {
		return namespacePath(nodeNamespace());
	}

	/**
	 * Path of a named namespace (what setns and nsenter take).
	 * @param namespace the name
	 * @return /run/netns/name
	 */
	public static Path namespacePath(String namespace) {
		return Path.of("/run/netns", namespace);
	}

	/**
	 * The MAC address of a device in a namespace.
	 * @param namespace the namespace name
	 * @param device the device
	 * @return 6 bytes
	 */
	public static byte[] macAddress(String namespace, String device) {
		Matcher mac = Pattern.compile("link/ether ([0-9a-f:]{17})")
			.matcher(exec(namespace, "ip", "-o", "link", "show", "dev", device));
		if (!mac.find()) {
			throw new IllegalStateException("no MAC address on " + device + " in " + namespace);
		}
		byte[] bytes = new byte[6];
		String[] parts = mac.group(1).split(":");
		for (int i = 0; i < 6; i++) {
			bytes[i] = (byte) Integer.parseInt(parts[i], 16);
		}
		return bytes;
	}

	/**
	 * Runs a command in the node namespace, failing on a non-zero exit.
	 * @param command the command
	 * @return its output
	 */
	public String inNode(String... command) {
		return exec(nodeNamespace(), command);
	}

	/**
	 * Runs a command inside a namespace with nsenter (not ip netns exec: that remounts
	 * /sys and hides bpffs), failing on a non-zero exit.
	 * @param namespace the namespace name
	 * @param command the command
	 * @return its output
	 */
	public static String exec(String namespace, String... command) {
		List<String> full = new ArrayList<>(List.of("nsenter", "--net=" + namespacePath(namespace)));
		full.addAll(List.of(command));
		return run(full.toArray(String[]::new));
	}

	/**
	 * Starts a command inside a namespace without waiting.
	 * @param namespace the namespace name
	 * @param command the command
	 * @return the process (stdout and stderr merged)
	 */
	public static Process start(String namespace, String... command) {
		List<String> full = new ArrayList<>(List.of("nsenter", "--net=" + namespacePath(namespace)));
		full.addAll(List.of(command));
		try {
			return new ProcessBuilder(full).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot start " + full, ex);
		}
	}

	/**
	 * Runs a command and returns its exit code and output.
	 * @param command the command
	 * @return exit code and merged output
	 */
	public static Result tryRun(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return new Result(-1, "timed out: " + String.join(" ", command));
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			return new Result(-1, ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(-1, "interrupted");
		}
	}

	static String run(String... command) {
		Result result = tryRun(command);
		if (result.exitCode() != 0) {
			throw new IllegalStateException(
					String.join(" ", command) + " exited " + result.exitCode() + ": " + result.output().trim());
		}
		return result.output();
	}

	@Override
	public void close() {
		// pods first, then the node: deleting a namespace destroys its veth ends, qdiscs
		// and filters
		List<String> reversed = new ArrayList<>(this.namespaces);
		java.util.Collections.reverse(reversed);
		for (String ns : reversed) {
			tryRun("ip", "netns", "del", ns);
		}
		this.namespaces.clear();
	}

	/**
	 * A pod: its namespace, its host-side veth in the node namespace and its address.
	 *
	 * @param name short name
	 * @param namespace namespace name
	 * @param hostInterface host-side veth name (in the node namespace)
	 * @param address IPv4
	 * @param address6 IPv6, or null
	 */
	public record Pod(String name, String namespace, String hostInterface, String address, String address6) {

		public Path namespacePath() {
			return PodTopology.namespacePath(this.namespace);
		}

		/**
		 * The pod's eth0 MAC.
		 * @return 6 bytes
		 */
		public byte[] mac() {
			return macAddress(this.namespace, "eth0");
		}

	}

	/**
	 * Outcome of a command.
	 *
	 * @param exitCode exit code, -1 if it could not run
	 * @param output stdout and stderr
	 */
	public record Result(int exitCode, String output) {

	}

}
