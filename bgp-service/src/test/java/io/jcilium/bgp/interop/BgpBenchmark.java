package io.jcilium.bgp.interop;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 * bench/bgp: how long one BIRD takes to receive N prefixes from us, and from gobgpd
 * holding the same prefixes, from the moment the speaker is told to peer until BIRD
 * counts all N, with the CPU time the sender spent meanwhile. Both senders use the same
 * address and AS, one after the other, against the same BIRD; rounds alternate.
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
				for (int round = 1; round <= rounds; round++) {
					report("jcilium", count, round, ours(lab, birdSocket, prefixes));
					report("gobgpd", count, round, gobgpd(lab, birdSocket, mrt, count));
				}
			}
		}
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
