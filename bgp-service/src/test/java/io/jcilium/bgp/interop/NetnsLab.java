package io.jcilium.bgp.interop;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.jcilium.testsupport.Prerequisites;

/**
 * A network namespace for one real BGP peer, joined to this host by a veth pair with an
 * IPv4 /30 and an IPv6 /64 chosen at random per run; names carry a random suffix. Closing
 * it ends every process it started and removes the namespace (which takes the veth pair
 * with it) and its files, also after a failure.
 */
final class NetnsLab implements AutoCloseable {

	private static final int COMMAND_TIMEOUT_SECONDS = 30;

	final String namespace;

	final String hostInterface;

	final InetAddress hostIpv4;

	final InetAddress peerIpv4;

	final InetAddress hostIpv6;

	final InetAddress peerIpv6;

	final Path directory;

	private final List<Process> processes = new ArrayList<>();

	private NetnsLab(String suffix, int subnet, int ipv6Net) throws IOException {
		this.namespace = "jcbgp-" + suffix;
		this.hostInterface = "jcbgp" + suffix;
		this.hostIpv4 = address("100.64." + (subnet >> 6) + "." + ((subnet & 63) * 4 + 1));
		this.peerIpv4 = address("100.64." + (subnet >> 6) + "." + ((subnet & 63) * 4 + 2));
		this.hostIpv6 = address("fd00:6a63:" + Integer.toHexString(ipv6Net) + "::1");
		this.peerIpv6 = address("fd00:6a63:" + Integer.toHexString(ipv6Net) + "::2");
		this.directory = Files.createTempDirectory(this.namespace);
	}

	/** Checks root and iproute2, then builds the namespace and the link. */
	static NetnsLab create() throws IOException, InterruptedException {
		Prerequisites.require("root".equals(System.getProperty("user.name")) && Prerequisites.onPath("ip"),
				"interop tests need root and iproute2 (ip) to build network namespaces");
		ThreadLocalRandom random = ThreadLocalRandom.current();
		NetnsLab lab = new NetnsLab(HexFormat.of().toHexDigits((short) random.nextInt()) + random.nextInt(10),
				random.nextInt(1 << 14), random.nextInt(1, 0xFFFF));
		try {
			lab.build();
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			lab.close();
			throw ex;
		}
		return lab;
	}

	private void build() throws IOException, InterruptedException {
		run("ip", "netns", "add", this.namespace);
		run("ip", "link", "add", this.hostInterface, "type", "veth", "peer", "name", "eth0", "netns", this.namespace);
		run("ip", "addr", "add", this.hostIpv4.getHostAddress() + "/30", "dev", this.hostInterface);
		run("ip", "-6", "addr", "add", this.hostIpv6.getHostAddress() + "/64", "dev", this.hostInterface, "nodad");
		run("ip", "link", "set", this.hostInterface, "up");
		run("ip", "-n", this.namespace, "addr", "add", this.peerIpv4.getHostAddress() + "/30", "dev", "eth0");
		run("ip", "-n", this.namespace, "-6", "addr", "add", this.peerIpv6.getHostAddress() + "/64", "dev", "eth0",
				"nodad");
		run("ip", "-n", this.namespace, "link", "set", "eth0", "up");
		run("ip", "-n", this.namespace, "link", "set", "lo", "up");
	}

	/** Runs a command on the host and returns its output; fails on a non-zero exit. */
	String run(String... command) throws IOException, InterruptedException {
		Path output = Files.createTempFile(this.directory, "cmd", ".out");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IOException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s");
		}
		String text = Files.readString(output, StandardCharsets.UTF_8);
		Files.delete(output);
		if (process.exitValue() != 0) {
			throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + text);
		}
		return text;
	}

	/** Runs a command inside the namespace. */
	String runInside(String... command) throws IOException, InterruptedException {
		return run(inside(command));
	}

	/** Starts a long-running process inside the namespace, its output in {@code log}. */
	Process start(Path log, String... command) throws IOException {
		Process process = new ProcessBuilder(inside(command)).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		this.processes.add(process);
		return process;
	}

	/** Ends a process this lab started, and what it started, waiting for it. */
	static void end(Process process) throws InterruptedException {
		process.descendants().forEach(ProcessHandle::destroy);
		process.destroy();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	private String[] inside(String... command) {
		List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", this.namespace));
		all.addAll(List.of(command));
		return all.toArray(String[]::new);
	}

	/**
	 * Kills what is left of every process started in the namespace (by pid, from the
	 * kernel).
	 */
	private void killNamespaceProcesses() {
		try {
			String pids = run("ip", "netns", "pids", this.namespace).trim();
			for (String pid : pids.isEmpty() ? new String[0] : pids.split("\\s+")) {
				ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
			}
		}
		catch (IOException | InterruptedException | NumberFormatException ex) {
			// the namespace may not exist: nothing runs in it
		}
	}

	@Override
	public void close() {
		for (Process process : this.processes) {
			try {
				end(process);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		killNamespaceProcesses();
		try {
			run("ip", "netns", "del", this.namespace);
		}
		catch (IOException | InterruptedException ex) {
			// not created, or already gone
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			// best effort: a temporary directory
		}
	}

	private static InetAddress address(String text) {
		try {
			return InetAddress.getByName(text);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

}
