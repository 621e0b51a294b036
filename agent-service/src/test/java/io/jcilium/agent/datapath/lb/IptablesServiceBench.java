package io.jcilium.agent.datapath.lb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.datapath.PodTopology;

/**
 * {@code bench/services}, the kube-proxy side: the same shape as {@link ServiceLbBench}
 * (ClusterIP services with 5 backends each, a client pod, connect() p50/p99 to the first
 * and the last service created, one service change) with kube-proxy-shaped iptables rules
 * ({@link KubeProxyRules}) loaded with {@code iptables-restore --noflush} into the node
 * namespace, once with iptables-legacy and once with iptables-nft. The client runs
 * outside the socket LB's test cgroups. Given {@link ServiceLbBench}'s output, it prints
 * eBPF's figures as ratios against each backend at every size.
 * <p>
 * Every restore is bounded by a deadline: a full sync that does not finish in time is
 * killed (an iptables-restore commits nothing then) and the row says so, with the
 * one-change ratio as a bound; larger sizes of that backend are skipped, as they only
 * take longer. The run always reaches the end.
 * <p>
 * Arguments: sizes (default 10,1000,10000), connects per figure (default 2000), changes
 * (default 5), the file holding ServiceLbBench's output (optional), the deadline of one
 * restore in seconds (default 900), request-rate rounds (default 5) and seconds (default
 * 1).
 */
public final class IptablesServiceBench {

	private static final int BACKENDS = 5;

	private IptablesServiceBench() {
	}

	public static void main(String[] args) throws Exception {
		int[] sizes = Arrays.stream(((args.length > 0) ? args[0] : "10,1000,10000").split(","))
			.mapToInt(Integer::parseInt)
			.toArray();
		int connects = (args.length > 1) ? Integer.parseInt(args[1]) : 2000;
		int changes = (args.length > 2) ? Integer.parseInt(args[2]) : 5;
		Map<Integer, double[]> ebpf = (args.length > 3) ? ebpfFigures(Path.of(args[3])) : Map.of();
		long deadlineSeconds = (args.length > 4) ? Long.parseLong(args[4]) : 900;
		RequestRates rates = new RequestRates((args.length > 5) ? Integer.parseInt(args[5]) : 5,
				(args.length > 6) ? Double.parseDouble(args[6]) : 1);
		for (String backend : List.of("legacy", "nft")) {
			String restore = "iptables-" + backend + "-restore";
			if (PodTopology.tryRun("sh", "-c", "command -v " + restore).exitCode() != 0) {
				System.out.printf("%n%s: skipped, %s is missing (scripts/setup.sh installs iptables)%n", backend,
						restore);
				continue;
			}
			run(new Restore(restore, deadlineSeconds), sizes, connects, changes, ebpf, rates);
		}
	}

	private static void run(Restore restore, int[] sizes, int connects, int changes, Map<Integer, double[]> ebpf,
			RequestRates rates) throws Exception {
		System.out.printf("%n%s (kube-proxy 1.28 shaped rules, each restore bounded by %d s)%n", restore.command(),
				restore.deadlineSeconds());
		System.out.printf("%-9s %-12s %-20s %-20s %-20s %-16s %-30s %s%n", "services", "full sync s",
				"first p50/p99 us", "last p50/p99 us", "pod direct p50/p99", "one change ms",
				"eBPF/this: last p50, change, req/s", RequestRates.HEADING);
		try (PodTopology topology = new PodTopology().createNode(); Backends servers = new Backends()) {
			List<String> backends = new ArrayList<>();
			for (int i = 1; i <= BACKENDS; i++) {
				PodTopology.Pod pod = topology.addPod("b" + i, "10.204.0." + i);
				servers.tcp(pod, 8080);
				backends.add(pod.address() + ":8080");
			}
			PodTopology.Pod client = topology.addPod("z", "10.204.0.99");
			// outside the test cgroups: no socket LB in its way
			Clients clients = new Clients();
			restore.run(topology, KubeProxyRules.hooks());
			for (int size : sizes) {
				double[] ours = ebpf.get(size);
				long fullNanos = restore.run(topology, KubeProxyRules.fullSync(size, backends));
				if (fullNanos < 0) {
					String bound = (ours == null) ? "-"
							: String.format("change < %.1ex", ours[1] / (restore.deadlineSeconds() * 1e3));
					System.out.printf("%-9d > %-10d not loaded within the deadline; larger sizes skipped (%s)%n", size,
							restore.deadlineSeconds(), bound);
					return;
				}
				String[] latency = Latencies.alternate(clients, client.namespace(), connects,
						new Latencies.Target(KubeProxyRules.vip(0), 80),
						new Latencies.Target(KubeProxyRules.vip(size - 1), 80),
						new Latencies.Target("10.204.0.1", 8080));
				RequestRates.Figures requests = rates.measure(clients, client.namespace(), KubeProxyRules.vip(size - 1),
						80, "10.204.0.1", 8080);
				String change = change(topology, restore, size, backends, changes);
				String ratio = (ours == null) ? "-" : ratios(ours, latency[1], change, requests);
				System.out.printf("%-9d %-12.2f %-20s %-20s %-20s %-16s %-30s %s%n", size, fullNanos / 1e9, latency[0],
						latency[1], latency[2], change, ratio, requests.text());
			}
		}
	}

	private static String ratios(double[] ours, String last, String change, RequestRates.Figures requests) {
		String changeRatio = change.startsWith(">")
				? String.format("< %.1ex", ours[1] / Double.parseDouble(change.substring(1).trim()))
				: String.format("%.1ex", ours[1] / Double.parseDouble(change));
		return String.format("%.2fx, %s, %.2fx", ours[0] / p50(last), changeRatio, ours[2] / requests.serviceNew());
	}

	/**
	 * Median time of partial syncs in ms, alternating a scale-in and back as
	 * ServiceLbBench; "> deadline" if one did not finish.
	 */
	private static String change(PodTopology topology, Restore restore, int size, List<String> backends, int changes)
			throws Exception {
		long[] nanos = new long[changes];
		for (int i = 0; i < changes; i++) {
			boolean in = (i % 2 == 0);
			List<String> next = in ? backends.subList(0, BACKENDS - 1) : backends;
			List<String> removed = in ? backends.subList(BACKENDS - 1, BACKENDS) : List.of();
			nanos[i] = restore.run(topology, KubeProxyRules.partialSync(size, size - 1, next, removed));
			if (nanos[i] < 0) {
				return "> " + (restore.deadlineSeconds() * 1000);
			}
		}
		Arrays.sort(nanos);
		return String.format("%.1f", nanos[changes / 2] / 1e6);
	}

	/**
	 * iptables-restore run in the node namespace as kube-proxy runs it, bounded.
	 *
	 * @param command {@code iptables-legacy-restore} or {@code iptables-nft-restore}
	 * @param deadlineSeconds how long one restore may take
	 */
	private record Restore(String command, long deadlineSeconds) {

		/**
		 * @return nanoseconds taken, spawn included, or -1 if killed at the deadline
		 */
		long run(PodTopology topology, String input) throws Exception {
			Path file = Files.createTempFile("kube-proxy-", ".rules");
			try {
				Files.writeString(file, input, StandardCharsets.UTF_8);
				List<String> command = new ArrayList<>(
						List.of("nsenter", "--net=" + topology.nodeNamespacePath(), this.command, "--noflush"));
				if (this.command.contains("legacy")) {
					command.add("-w");
				}
				Path output = Files.createTempFile("kube-proxy-", ".out");
				try {
					long start = System.nanoTime();
					Process process = new ProcessBuilder(command).redirectInput(file.toFile())
						.redirectErrorStream(true)
						.redirectOutput(output.toFile())
						.start();
					if (!process.waitFor(this.deadlineSeconds, TimeUnit.SECONDS)) {
						process.destroyForcibly().waitFor();
						return -1;
					}
					long nanos = System.nanoTime() - start;
					if (process.exitValue() != 0) {
						throw new IllegalStateException(this.command + " failed: " + Files.readString(output));
					}
					return nanos;
				}
				finally {
					Files.deleteIfExists(output);
				}
			}
			finally {
				Files.deleteIfExists(file);
			}
		}

	}

	private static double p50(String latency) {
		return Double.parseDouble(latency.split(" / ")[0]);
	}

	/**
	 * ServiceLbBench's rows: size, first p50 / p99, last p50 / p99, direct p50 / p99,
	 * change median, p99, then the request rates: service / pod (ratio) with a connection
	 * per request, the same on one connection. Kept: last p50, change median, service
	 * requests/s with a connection per request.
	 */
	private static Map<Integer, double[]> ebpfFigures(Path output) throws IOException {
		Map<Integer, double[]> figures = new HashMap<>();
		for (String line : Files.readAllLines(output)) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length >= 13 && fields[0].matches("\\d+") && fields[2].equals("/")) {
				figures.put(Integer.parseInt(fields[0]), new double[] { Double.parseDouble(fields[4]),
						Double.parseDouble(fields[10].replace(",", "")), Double.parseDouble(fields[12]) });
			}
		}
		return figures;
	}

}
