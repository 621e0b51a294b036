package io.jcilium.agent.datapath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.loader.NodeMaps;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java side stopped and started again as a process, the way an agent restarts: a
 * first {@link DatapathAgentProcess} loads, attaches and pins; it is stopped with
 * SIGTERM, a second one re-attaches to the pinned maps and is killed with SIGKILL, a
 * third one starts. A continuous ping (10 ms apart) and a TCP stream between two pods run
 * across all of it and lose nothing; the restarted processes read what the first wrote
 * and their own policy changes take effect.
 */
class DatapathProcessRestartIT {

	static final int IDENTITY_A = 1001;

	static final int IDENTITY_B = 1002;

	private PodTopology topology;

	private BpffsLayout layout;

	private PodTopology.Pod podA;

	private PodTopology.Pod podB;

	private final List<Process> processes = new ArrayList<>();

	private Path pingLog;

	@BeforeEach
	void setUp() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "ping", "sysctl", "kill");
		this.topology = new PodTopology();
		this.layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT, "jcilium-proc-" + this.topology.runId());
		this.topology.createNode();
		this.podA = this.topology.addPod("a", "10.210.0.1");
		this.podB = this.topology.addPod("b", "10.210.0.2");
	}

	@AfterEach
	void tearDown() {
		this.processes.forEach(Process::destroyForcibly);
		if (this.topology != null) {
			this.topology.close();
		}
		if (this.layout != null) {
			this.layout.removeAll();
		}
		if (this.pingLog != null) {
			this.pingLog.toFile().delete();
		}
	}

	@Test
	void trafficLosesNothingWhileTheJavaSideIsStoppedAndStartedAsAProcess() throws Exception {
		AgentProcess first = startAgent();
		programNodeMaps();
		first.command("allow-egress 1");
		first.command("allow-egress 2");
		first.command("allow 2 " + IDENTITY_A + " tcp 8080");
		assertThat(PodTraffic.ping(this.podA, this.podB, 1)).as("ping needs an allow entry").isZero();
		first.command("allow 2 " + IDENTITY_A + " icmp 8");
		assertThat(PodTraffic.ping(this.podA, this.podB, 1)).isEqualTo(1);
		assertThat(canConnect(9000)).as("9000 not allowed yet").isFalse();
		assertThat(
				first.awaitLine("drop reason=133 src=" + IDENTITY_A + " dst=" + IDENTITY_B + " endpoint=2 dport=9000"))
			.as("the first process reads drop events")
			.isNotNull();

		// A ping that runs until interrupted, however long the restarts take on a loaded
		// machine; every reply is a line with its icmp_seq, so a lost ping is a gap.
		Path pingOutput = Files.createTempFile("jcilium-ping-", ".txt");
		this.pingLog = pingOutput;
		Process ping = new ProcessBuilder("nsenter", "--net=" + this.podA.namespacePath(), "ping", "-n", "-i", "0.01",
				"-W", "2", this.podB.address())
			.redirectErrorStream(true)
			.redirectOutput(pingOutput.toFile())
			.start();
		this.processes.add(ping);
		try (TcpStream stream = new TcpStream(this.podA, this.podB, 8080)) {
			await("the ping and the stream flowing", () -> stream.received() > 0 && !replies(pingOutput).isEmpty());

			first.process().destroy();
			assertThat(first.process().waitFor(20, TimeUnit.SECONDS)).as("SIGTERM ends the first process").isTrue();
			long bytesWithoutAgent = stream.received();
			await("the stream flowing with no agent process", () -> stream.received() > bytesWithoutAgent);
			long bytesBeforeSecond = stream.received();

			AgentProcess second = startAgent();
			assertThat(second.query("show-policy 2")).as("the second process reads what the first wrote")
				.contains("policy PolicyKey[identity=" + IDENTITY_A
						+ ", egress=false, protocol=6, port=8080, prefixLength=64]");
			second.command("allow 2 " + IDENTITY_A + " tcp 9000");
			assertThat(canConnect(9000)).as("the second process's policy change takes effect").isTrue();
			assertThat(canConnect(9001)).isFalse();
			assertThat(second
				.awaitLine("drop reason=133 src=" + IDENTITY_A + " dst=" + IDENTITY_B + " endpoint=2 dport=9001"))
				.as("the restarted process reads drop events")
				.isNotNull();

			second.process().destroyForcibly();
			assertThat(second.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
			long bytesAfterKill = stream.received();
			await("the stream flowing after SIGKILL", () -> stream.received() > bytesAfterKill);
			AgentProcess third = startAgent();
			assertThat(third.query("show-policy 2")).contains("policy PolicyKey[identity=" + IDENTITY_A
					+ ", egress=false, protocol=6, port=9000, prefixLength=64]");
			assertThat(ping.isAlive()).as("the ping ran across both restarts").isTrue();
			assertThat(stream.received()).as("the stream kept flowing").isGreaterThan(bytesBeforeSecond);

			// SIGINT ends ping; the request in flight at that moment has no reply line,
			// so only gaps below the last reply are losses.
			PodTopology.run("kill", "-INT", Long.toString(ping.pid()));
			assertThat(ping.waitFor(60, TimeUnit.SECONDS)).as("ping finished").isTrue();
			TreeSet<Integer> replies = replies(pingOutput);
			assertThat(replies).as("pings answered").isNotEmpty();
			assertThat(replies).as("no ping lost across SIGTERM, SIGKILL and two restarts")
				.hasSize(replies.last())
				.startsWith(1);

			assertThat(stream.retransmitted()).as("no TCP segment of the stream had to be sent again: none was dropped")
				.isZero();
			stream.finish();
			assertThat(stream.received()).as("every byte of the stream arrived").isEqualTo(stream.sent());
		}
	}

	// The icmp_seq of every echo reply ping printed so far.
	private static TreeSet<Integer> replies(Path pingOutput) {
		TreeSet<Integer> seqs = new TreeSet<>();
		try {
			Matcher reply = Pattern.compile("icmp_seq=(\\d+) ").matcher(Files.readString(pingOutput));
			while (reply.find()) {
				seqs.add(Integer.parseInt(reply.group(1)));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return seqs;
	}

	// Waits for something the test observes, within a bound generous for a loaded
	// machine.
	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("not seen within 60 s: " + what);
			}
			Thread.sleep(20);
		}
	}

	private AgentProcess startAgent() throws IOException, InterruptedException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-cp",
				System.getProperty("java.class.path"), DatapathAgentProcess.class.getName(), this.layout.prefix(),
				this.topology.nodeNamespace(), "1:" + IDENTITY_A + ":" + this.podA.hostInterface(),
				"2:" + IDENTITY_B + ":" + this.podB.hostInterface())
			.redirectErrorStream(true)
			.start();
		this.processes.add(process);
		AgentProcess agent = new AgentProcess(process);
		assertThat(agent.awaitLine("ready")).as("agent process started").isNotNull();
		return agent;
	}

	/** Node-wide maps, written once from outside the processes through the pins. */
	private void programNodeMaps() {
		try (NodeMaps maps = NodeMaps.openOrCreate(TestLibbpf.get(), DatapathObjects.resolve(DatapathObjects.LXC),
				this.layout)) {
			int endpointId = 1;
			for (PodTopology.Pod pod : List.of(this.podA, this.podB)) {
				int identity = (pod == this.podA) ? IDENTITY_A : IDENTITY_B;
				int ifindex = NetworkNamespace.interfaceIndex(this.topology.nodeNamespacePath(), pod.hostInterface());
				maps.ipcache().put(Packets.parse(pod.address()), 32, identity, null);
				maps.endpoints()
					.put(Packets.parse(pod.address()), new DatapathStructs.EndpointInfo(ifindex, endpointId++, 0,
							pod.mac(), this.topology.hostMac(pod), identity));
			}
		}
	}

	private boolean canConnect(int port) throws Exception {
		try (ServerSocket listener = NetworkNamespace.call(this.podB.namespacePath(), () -> {
			ServerSocket socket = new ServerSocket();
			socket.bind(new InetSocketAddress(this.podB.address(), port));
			return socket;
		}); Socket client = NetworkNamespace.call(this.podA.namespacePath(), Socket::new)) {
			NetworkNamespace.call(this.podA.namespacePath(), () -> {
				client.connect(new InetSocketAddress(this.podB.address(), port), 1000);
				return null;
			});
			return true;
		}
		catch (RuntimeException | IOException ex) {
			for (Throwable t = ex; t != null; t = t.getCause()) {
				if (t instanceof SocketTimeoutException) {
					return false;
				}
			}
			throw ex;
		}
	}

}
