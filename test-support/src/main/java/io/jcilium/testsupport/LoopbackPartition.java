package io.jcilium.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A silently cut link on loopback: iptables drops every packet to and from one TCP port
 * at one loopback address (no reset, no ICMP), as a link that dies without a word does.
 * Clients reach the server at that address and so only their connections are cut; the
 * same server stays reachable at 127.0.0.1. Needs root and iptables; {@link #heal()}
 * removes every rule it added, so call it in an {@code @AfterEach} whatever happened.
 */
public final class LoopbackPartition {

	private final String address;

	private final int port;

	private final List<List<String>> rules = new ArrayList<>();

	/**
	 * @param address a loopback address other than 127.0.0.1, e.g. {@code 127.0.0.2}
	 * @param port the server's TCP port
	 */
	public LoopbackPartition(String address, int port) {
		this.address = address;
		this.port = port;
	}

	/**
	 * Drops every packet to and from the port at the address.
	 * @throws IOException if iptables cannot be run or refuses a rule
	 * @throws InterruptedException if interrupted while iptables runs
	 */
	public void cut() throws IOException, InterruptedException {
		String port = Integer.toString(this.port);
		for (List<String> rule : List.of(List.of("-d", this.address, "-p", "tcp", "--dport", port, "-j", "DROP"),
				List.of("-s", this.address, "-p", "tcp", "--sport", port, "-j", "DROP"))) {
			iptables("-I", rule);
			this.rules.add(rule);
		}
	}

	/**
	 * Removes every rule {@link #cut()} added; nothing when there is none.
	 * @throws IOException if iptables cannot be run or refuses to delete a rule
	 * @throws InterruptedException if interrupted while iptables runs
	 */
	public void heal() throws IOException, InterruptedException {
		while (!this.rules.isEmpty()) {
			iptables("-D", this.rules.remove(this.rules.size() - 1));
		}
	}

	private static void iptables(String action, List<String> rule) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("iptables", "-w", action, "INPUT", "-i", "lo"));
		command.addAll(rule);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (process.waitFor() != 0) {
			throw new IOException(String.join(" ", command) + " failed: " + output.strip());
		}
	}

}
