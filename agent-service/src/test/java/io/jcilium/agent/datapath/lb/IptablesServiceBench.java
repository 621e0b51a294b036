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
 * Arguments: sizes (default 10,1000,10000), connects per figure (default 2000), changes
 * (default 5), the file holding ServiceLbBench's output (optional).
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
		for (String backend : List.of("legacy", "nft")) {
			String restore = "iptables-" + backend + "-restore";
			if (PodTopology.tryRun("sh", "-c", "command -v " + restore).exitCode() != 0) {
				System.out.printf("%n%s: skipped, %s is missing (scripts/setup.sh installs iptables)%n", backend,
						restore);
				continue;
			}
			run(backend, restore, sizes, connects, changes, ebpf);
		}
	}

	private static void run(String backend, String restore, int[] sizes, int connects, int changes,
			Map<Integer, double[]> ebpf) throws Exception {
		System.out.printf("%niptables-%s (kube-proxy 1.28 shaped rules)%n", backend);
		System.out.printf("%-9s %-12s %-20s %-20s %-20s %-16s %s%n", "services", "full sync s", "first p50/p99 us",
				"last p50/p99 us", "pod direct p50/p99", "one change ms", "eBPF/this: last p50, change");
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
			restore(topology, restore, KubeProxyRules.hooks());
			for (int size : sizes) {
				double fullSeconds = restore(topology, restore, KubeProxyRules.fullSync(size, backends)) / 1e9;
				String first = clients.latency(client.namespace(), KubeProxyRules.vip(0), 80, connects);
				String last = clients.latency(client.namespace(), KubeProxyRules.vip(size - 1), 80, connects);
				String direct = clients.latency(client.namespace(), "10.204.0.1", 8080, connects);
				double changeMillis = change(topology, restore, size, backends, changes);
				double[] ours = ebpf.get(size);
				String ratio = (ours == null) ? "-"
						: String.format("%.2fx, %.4fx", ours[0] / p50(last), ours[1] / changeMillis);
				System.out.printf("%-9d %-12.2f %-20s %-20s %-20s %-16.1f %s%n", size, fullSeconds, first, last, direct,
						changeMillis, ratio);
			}
		}
	}

	/**
	 * Median time of partial syncs, alternating a scale-in and back as ServiceLbBench.
	 */
	private static double change(PodTopology topology, String restore, int size, List<String> backends, int changes)
			throws Exception {
		long[] nanos = new long[changes];
		for (int i = 0; i < changes; i++) {
			boolean in = (i % 2 == 0);
			List<String> next = in ? backends.subList(0, BACKENDS - 1) : backends;
			List<String> removed = in ? backends.subList(BACKENDS - 1, BACKENDS) : List.of();
			nanos[i] = restore(topology, restore, KubeProxyRules.partialSync(size, size - 1, next, removed));
		}
		Arrays.sort(nanos);
		return nanos[changes / 2] / 1e6;
	}

	/**
	 * Runs the restore in the node namespace as kube-proxy would; returns nanoseconds.
	 */
	private static long restore(PodTopology topology, String restore, String input) throws Exception {
		Path file = Files.createTempFile("kube-proxy-", ".rules");
		try {
			Files.writeString(file, input, StandardCharsets.UTF_8);
			List<String> command = new ArrayList<>(
					List.of("nsenter", "--net=" + topology.nodeNamespacePath(), restore, "--noflush"));
			if (restore.contains("legacy")) {
				command.add("-w");
			}
			long start = System.nanoTime();
			Process process = new ProcessBuilder(command).redirectInput(file.toFile())
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new IllegalStateException(restore + " failed: " + output);
			}
			return System.nanoTime() - start;
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	private static double p50(String latency) {
		return Double.parseDouble(latency.split(" / ")[0]);
	}

	/**
	 * ServiceLbBench's rows: size, first p50 / p99, last p50 / p99, direct p50 / p99,
	 * change median, p99.
	 */
	private static Map<Integer, double[]> ebpfFigures(Path output) throws IOException {
		Map<Integer, double[]> figures = new HashMap<>();
		for (String line : Files.readAllLines(output)) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length >= 11 && fields[0].matches("\\d+") && fields[2].equals("/")) {
				figures.put(Integer.parseInt(fields[0]), new double[] { Double.parseDouble(fields[4]),
						Double.parseDouble(fields[10].replace(",", "")) });
			}
		}
		return figures;
	}

}
