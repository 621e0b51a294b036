package io.jcilium.bgp.interop;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.SpeakerConfig;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;

/**
 * bench/bgp: how long one BIRD takes to receive N prefixes from us, from gobgpd holding
 * the same prefixes, and from a second BIRD holding them as static routes, from the
 * moment BIRD says the session is Established until it counts all N, with the CPU time
 * the sender spent meanwhile. The senders use the same address and AS, one after the
 * other, against the same BIRD; rounds alternate. Then per size the medians, and ours as
 * a ratio of each other sender's.
 */
public final class BgpBenchmark {

	private static final long OUR_AS = 65000;

	private static final long BIRD_AS = 65001;

	private static final Pattern COUNT = Pattern.compile("(\\d+) of \\d+ routes");

	private BgpBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = Integer.parseInt(System.getProperty("rounds", "3"));
		try (NetnsLab lab = NetnsLab.create()) {
			Path birdSocket = startBird(lab);
			for (String size : args) {
				int count = Integer.parseInt(size);
				List<Prefix> prefixes = prefixes(count);
				Path mrt = lab.directory.resolve("routes-" + count + ".mrt");
				try (OutputStream out = Files.newOutputStream(mrt)) {
					MrtWriter.write(out, prefixes, lab.hostIpv4, OUR_AS);
				}
				// gobgp 3.10's inject drops the last batch of a file; the same routes
				// reversed
				// bring that tail in (and the head they lose is there already).
				List<Prefix> reversed = new ArrayList<>(prefixes);
				java.util.Collections.reverse(reversed);
				try (OutputStream out = Files.newOutputStream(reversedPath(mrt))) {
					MrtWriter.write(out, reversed, lab.hostIpv4, OUR_AS);
				}
				Map<String, List<double[]>> results = new LinkedHashMap<>();
				for (int round = 1; round <= rounds; round++) {
					report(results, "jcilium", count, round, ours(lab, birdSocket, prefixes));
					report(results, "gobgpd", count, round, gobgpd(lab, birdSocket, mrt, count));
					report(results, "bird", count, round, birdSender(lab, birdSocket, prefixes));
				}
				summary(count, results);
			}
		}
	}

	private static void report(Map<String, List<double[]>> results, String sender, int count, int round,
			double[] result) {
		results.computeIfAbsent(sender, (name) -> new ArrayList<>()).add(result);
		report(sender, count, round, result);
	}

	/**
	 * The medians per sender, and ours against each other sender: time, and time plus the
	 * sender's CPU (the "CPU included").
	 */
	private static void summary(int count, Map<String, List<double[]>> results) {
		double[] ours = medians(results.get("jcilium"));
		for (Map.Entry<String, List<double[]>> entry : results.entrySet()) {
			double[] median = medians(entry.getValue());
			System.out.printf("%-8s %7d prefixes median: BIRD has all after %7.3f s, sender CPU %6.3f s%n",
					entry.getKey(), count, median[0], median[1]);
			if (!entry.getKey().equals("jcilium")) {
				System.out.printf("ratio jcilium/%s %d prefixes: time %.2f, time+CPU %.2f%n", entry.getKey(), count,
						ours[0] / median[0], (ours[0] + ours[1]) / (median[0] + median[1]));
			}
		}
	}

	private static double[] medians(List<double[]> rounds) {
		double[] medians = new double[2];
		for (int field = 0; field < medians.length; field++) {
			int index = field;
			double[] values = rounds.stream().mapToDouble((round) -> round[index]).sorted().toArray();
			medians[field] = (values.length % 2 == 1) ? values[values.length / 2]
					: (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
		}
		return medians;
	}

	private static void report(String sender, int count, int round, double[] result) {
		System.out.printf(
				"%-8s %7d prefixes round %d: BIRD has all after %7.3f s, sender CPU %6.3f s, BIRD CPU %6.3f s%n",
				sender, count, round, result[0], result[1], result[2]);
	}

	/** Seconds until BIRD has all, our process's CPU seconds, BIRD's CPU seconds. */
	private static double[] ours(NetnsLab lab, Path bird, List<Prefix> prefixes) throws Exception {
		Map<Prefix, RouteAttributes> routes = new HashMap<>();
		prefixes.forEach((prefix) -> routes.put(prefix, RouteAttributes.DEFAULT));
		BgpSpeaker speaker = new BgpSpeaker(new SpeakerConfig(OUR_AS, lab.hostIpv4, lab.hostIpv4, 179, false), 1);
		speaker.start();
		speaker.advertise(routes);
		speaker.addNeighbour(new NeighbourConfig(lab.peerIpv4, 179, BIRD_AS, false, 90, 1,
				Set.of(AddressFamily.IPV4_UNICAST), 0, null));
		waitForEstablished(lab, bird);
		long birdCpu = cpuTicks(birdPid(lab));
		long cpu = processCpuNanos();
		long start = System.nanoTime();
		waitForCount(lab, bird, prefixes.size());
		double seconds = (System.nanoTime() - start) / 1e9;
		double[] result = { seconds, (processCpuNanos() - cpu) / 1e9,
				ticksToSeconds(cpuTicks(birdPid(lab)) - birdCpu) };
		speaker.stop(true);
		waitForCount(lab, bird, 0);
		return result;
	}

	private static double[] gobgpd(NetnsLab lab, Path bird, Path mrt, int count) throws Exception {
		Path config = lab.directory.resolve("gobgpd-bench.toml");
		Files.writeString(config, """
				[global.config]
				  as = %d
				  router-id = "%s"
				  port = -1
				  local-address-list = ["%s"]
				""".formatted(OUR_AS, lab.hostIpv4.getHostAddress(), lab.hostIpv4.getHostAddress()));
		String api = "127.0.0.1:" + (51000 + (int) (ProcessHandle.current().pid() % 1000));
		Process gobgpd = new ProcessBuilder("gobgpd", "-f", config.toString(), "--api-hosts", api, "--pprof-disable",
				"--disable-stdlog")
			.redirectErrorStream(true)
			.redirectOutput(lab.directory.resolve("gobgpd-bench.log").toFile())
			.start();
		try {
			String port = api.substring(api.indexOf(':') + 1);
			waitFor(() -> gobgp(lab, port, "global").contains("AS"));
			gobgp(lab, port, "mrt", "inject", "global", mrt.toString());
			gobgp(lab, port, "mrt", "inject", "global", reversedPath(mrt).toString());
			waitFor(() -> gobgp(lab, port, "global", "rib", "summary", "-a", "ipv4").contains("Destination: " + count));
			gobgp(lab, port, "neighbor", "add", lab.peerIpv4.getHostAddress(), "as", String.valueOf(BIRD_AS));
			waitForEstablished(lab, bird);
			long birdCpu = cpuTicks(birdPid(lab));
			long cpu = cpuTicks(gobgpd.pid());
			long start = System.nanoTime();
			waitForCount(lab, bird, count);
			double seconds = (System.nanoTime() - start) / 1e9;
			return new double[] { seconds, ticksToSeconds(cpuTicks(gobgpd.pid()) - cpu),
					ticksToSeconds(cpuTicks(birdPid(lab)) - birdCpu) };
		}
		finally {
			NetnsLab.end(gobgpd);
			waitForCount(lab, bird, 0);
		}
	}

	/**
	 * A second BIRD on our side of the link, holding the prefixes as static routes: its
	 * session to the receiving BIRD starts disabled and is enabled once all statics are
	 * in its table, so only the sending is timed.
	 * <p>
	 * While it sends, a waker asks it {@code show status} over its control socket every
	 * 10 ms, the cadence at which the bench asks the receiving BIRD for its count. BIRD
	 * 2.0's single-threaded main loop decides whether events are pending before it runs
	 * its work list (where the initial export feed runs in batches), so when the last
	 * feed batch queues the BGP transmit event, the loop can still go to sleep in
	 * {@code poll()} with its 3 s ceiling: unwoken, a good share of rounds end exactly
	 * 3.0 s later, at any size, with no CPU spent meanwhile. Any wakeup ends that sleep;
	 * a control-socket command changes nothing in BIRD's routes or sessions, and its CPU
	 * (well under a tick per command) is counted in BIRD's sender CPU, against BIRD. So
	 * the figure is BIRD's sending speed, not its idle wakeup interval. {@code
	 * -DbirdWake=false} shows the unwoken behaviour.
	 */
	private static double[] birdSender(NetnsLab lab, Path receiver, List<Prefix> prefixes) throws Exception {
		Path config = lab.directory.resolve("bird-sender.conf");
		Path socket = lab.directory.resolve("bird-sender.ctl");
		Path pidFile = lab.directory.resolve("bird-sender.pid");
		StringBuilder statics = new StringBuilder();
		prefixes.forEach((prefix) -> statics.append("  route ").append(prefix).append(" blackhole;\n"));
		Files.writeString(config, """
				router id %s;
				protocol device {}
				protocol static statics {
				  ipv4;
				%s}
				protocol bgp receiver {
				  disabled;
				  local %s as %d;
				  neighbor %s as %d;
				  connect retry time 1;
				  ipv4 { import none; export all; };
				}
				""".formatted(lab.hostIpv4.getHostAddress(), statics, lab.hostIpv4.getHostAddress(), OUR_AS,
				lab.peerIpv4.getHostAddress(), BIRD_AS));
		Process sender = new ProcessBuilder("bird", "-f", "-c", config.toString(), "-s", socket.toString(), "-P",
				pidFile.toString())
			.redirectErrorStream(true)
			.redirectOutput(lab.directory.resolve("bird-sender.log").toFile())
			.start();
		try {
			waitFor(() -> {
				Matcher matcher = COUNT.matcher(lab.run("birdc", "-s", socket.toString(), "show", "route", "count"));
				return matcher.find() && Integer.parseInt(matcher.group(1)) == prefixes.size();
			});
			long senderPid = Long.parseLong(Files.readString(pidFile).trim());
			Thread waker = Boolean.parseBoolean(System.getProperty("birdWake", "true")) ? wake(lab, socket) : null;
			try {
				lab.run("birdc", "-s", socket.toString(), "enable", "receiver");
				waitForEstablished(lab, receiver);
				long birdCpu = cpuTicks(birdPid(lab));
				long cpu = cpuTicks(senderPid);
				long start = System.nanoTime();
				waitForCount(lab, receiver, prefixes.size());
				double seconds = (System.nanoTime() - start) / 1e9;
				return new double[] { seconds, ticksToSeconds(cpuTicks(senderPid) - cpu),
						ticksToSeconds(cpuTicks(birdPid(lab)) - birdCpu) };
			}
			finally {
				if (waker != null) {
					waker.interrupt();
					waker.join(30_000);
				}
			}
		}
		finally {
			NetnsLab.end(sender);
			waitForCount(lab, receiver, 0);
		}
	}

	/** Asks BIRD for its status every 10 ms until interrupted (see birdSender). */
	private static Thread wake(NetnsLab lab, Path socket) {
		Thread waker = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				try {
					lab.run("birdc", "-s", socket.toString(), "show", "status");
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (IOException ex) {
					// BIRD is not answering yet or any more: the next round tries again
				}
			}
		}, "bird-sender-waker");
		waker.setDaemon(true);
		waker.start();
		return waker;
	}

	private static Path reversedPath(Path mrt) {
		return mrt.resolveSibling("reversed-" + mrt.getFileName());
	}

	private static String gobgp(NetnsLab lab, String port, String... command) throws Exception {
		List<String> all = new ArrayList<>(List.of("gobgp", "-u", "127.0.0.1", "-p", port));
		all.addAll(List.of(command));
		return lab.run(all.toArray(String[]::new));
	}

	private static Path startBird(NetnsLab lab) throws IOException {
		Path config = lab.directory.resolve("bird-bench.conf");
		Path socket = lab.directory.resolve("bird-bench.ctl");
		Files.writeString(config, """
				router id %s;
				protocol device {}
				protocol bgp sender {
				  local %s as %d;
				  neighbor %s as %d;
				  connect retry time 1;
				  ipv4 { import all; export none; };
				}
				""".formatted(lab.peerIpv4.getHostAddress(), lab.peerIpv4.getHostAddress(), BIRD_AS,
				lab.hostIpv4.getHostAddress(), OUR_AS));
		lab.start(lab.directory.resolve("bird-bench.log"), "bird", "-f", "-c", config.toString(), "-s",
				socket.toString(), "-P", lab.directory.resolve("bird-bench.pid").toString());
		return socket;
	}

	private static long birdPid(NetnsLab lab) throws IOException {
		return Long.parseLong(Files.readString(lab.directory.resolve("bird-bench.pid")).trim());
	}

	private static void waitForCount(NetnsLab lab, Path bird, int count) throws Exception {
		waitFor(() -> {
			Matcher matcher = COUNT.matcher(lab.run("birdc", "-s", bird.toString(), "show", "route", "count"));
			return matcher.find() && Integer.parseInt(matcher.group(1)) == count;
		});
	}

	/**
	 * Polls BIRD until the session is Established: the clock of both senders starts
	 * there, the moment BIRD says the session came up, so neither sender's connect-retry
	 * timing counts.
	 */
	private static void waitForEstablished(NetnsLab lab, Path bird) throws Exception {
		waitFor(() -> lab.run("birdc", "-s", bird.toString(), "show", "protocols", "sender").contains("Established"));
	}

	interface Check {

		boolean done() throws Exception;

	}

	private static void waitFor(Check check) throws Exception {
		long deadline = System.nanoTime() + 300_000_000_000L;
		while (System.nanoTime() < deadline) {
			try {
				if (check.done()) {
					return;
				}
			}
			catch (IOException ex) {
				// not up yet
			}
			Thread.sleep(10);
		}
		throw new IllegalStateException("gave up after 300 s");
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/** utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
	private static long cpuTicks(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	private static double ticksToSeconds(long ticks) {
		return ticks / 100.0;
	}

	private static List<Prefix> prefixes(int count) {
		List<Prefix> prefixes = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			prefixes.add(Prefix.of(new byte[] { 10, (byte) (i >> 16), (byte) (i >> 8), (byte) i }, 32));
		}
		return prefixes;
	}

}
