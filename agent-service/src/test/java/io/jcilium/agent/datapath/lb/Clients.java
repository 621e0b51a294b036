package io.jcilium.agent.datapath.lb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.jcilium.agent.datapath.PodTopology;

/**
 * Runs {@code sock_client.py} inside the test cgroup (if any) and a network namespace: a
 * real application's connect(), sendto(), recvfrom() and getpeername() through the socket
 * programs, or from outside the node through the tc LB.
 */
final class Clients {

	private final TestCgroup cgroup;

	Clients(TestCgroup cgroup) {
		this.cgroup = cgroup;
	}

	/**
	 * Clients outside any test cgroup (a client outside the node).
	 */
	Clients() {
		this(null);
	}

	/**
	 * Connects {@code count} times.
	 * @param namespace where the client runs
	 * @param mode tcp, udp or udpc (connected UDP)
	 * @param host the address connected to
	 * @param port the port
	 * @param count attempts
	 * @return one result per attempt
	 */
	List<Result> run(String namespace, String mode, String host, int port, int count) {
		PodTopology.Result result = PodTopology.tryRun(command(namespace, mode, host, port, String.valueOf(count)));
		if (result.exitCode() != 0) {
			throw new IllegalStateException("client failed (" + result.exitCode() + "): " + result.output());
		}
		return Arrays.stream(result.output().split("\n")).filter((l) -> !l.isBlank()).map(Result::parse).toList();
	}

	/**
	 * connect() latency, for the benchmark.
	 * @return "p50 X p99 Y" in microseconds
	 */
	String latency(String namespace, String host, int port, int count) {
		PodTopology.Result result = PodTopology
			.tryRun(command(namespace, "latency", host, port, String.valueOf(count)));
		if (result.exitCode() != 0) {
			throw new IllegalStateException("latency client failed (" + result.exitCode() + "): " + result.output());
		}
		String[] parts = result.output().trim().split(" ");
		return parts[1] + " / " + parts[3];
	}

	/**
	 * Requests per second, for the benchmark: a request is a line sent and its echo read.
	 * @param mode {@code rps} (a new connection per request) or {@code rpsconn} (all on
	 * one connection)
	 * @param seconds how long to send
	 * @return requests per second
	 */
	double requestsPerSecond(String namespace, String mode, String host, int port, double seconds) {
		PodTopology.Result result = PodTopology.tryRun(command(namespace, mode, host, port, String.valueOf(seconds)));
		if (result.exitCode() != 0) {
			throw new IllegalStateException("request client failed (" + result.exitCode() + "): " + result.output());
		}
		return Double.parseDouble(result.output().trim().split(" ")[1]);
	}

	/**
	 * Starts a client holding one TCP connection open.
	 * @return the process: stdout has "ok backend", then one "echo" line per stdin line
	 */
	Process hold(String namespace, String host, int port) {
		try {
			return new ProcessBuilder(command(namespace, "hold", host, port, "0")).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String[] command(String namespace, String mode, String host, int port, String count) {
		String inner = String.join(" ", "nsenter", "--net=" + PodTopology.namespacePath(namespace), "python3", "-u",
				script().toString(), mode, host, String.valueOf(port), count);
		return new String[] { "sh", "-c", (this.cgroup != null) ? this.cgroup.enter() + " " + inner : "exec " + inner };
	}

	private static Path script() {
		try {
			return Path.of(Clients.class.getResource("/service/sock_client.py").toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One attempt.
	 *
	 * @param backend the pod that answered, or null
	 * @param peerAddress what getpeername()/recvfrom() said, or who sent the ICMP error
	 * (mode udperr)
	 * @param peerPort its port
	 * @param error the errno name when it failed
	 */
	record Result(String backend, String peerAddress, int peerPort, String error) {

		static Result parse(String line) {
			String[] parts = line.trim().split(" ");
			if ("ok".equals(parts[0]) && parts.length == 4) {
				return new Result(parts[1], parts[2], Integer.parseInt(parts[3]), null);
			}
			if ("err".equals(parts[0])) {
				return new Result(null, (parts.length > 2) ? parts[2] : null, 0, parts[1]);
			}
			throw new IllegalStateException("unexpected client output: " + line);
		}

	}

}
