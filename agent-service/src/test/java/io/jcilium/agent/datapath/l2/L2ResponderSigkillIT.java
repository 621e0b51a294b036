package io.jcilium.agent.datapath.l2;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.agent.l2announce.ResponderEntry;
import io.jcilium.agent.l2announce.XdpMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The L2 responder's XDP program lives no longer than the process that attached it: a
 * node namespace and a client namespace joined by a veth pair, real ARP from the client
 * with {@code arping}. The responder, alone in a child JVM (the agent's part that
 * attaches), answers for a service address; killed with SIGKILL, nobody answers any more
 * and the device runs no XDP program. A program an earlier agent attached over netlink
 * (which outlives its process) is removed by the next responder, which answers through
 * its own link, and a graceful stop detaches that link.
 */
class L2ResponderSigkillIT {

	private static final String SERVICE_IP = "192.0.2.100";

	private static final Pattern REPLY_MAC = Pattern.compile("reply from \\S+ \\[([0-9A-Fa-f:]{17})\\]");

	/** {@code ip link show}: "xdpgeneric/id:12" (one line) or "prog/xdp id 12". */
	private static final Pattern XDP_ID = Pattern.compile("(?:xdp\\w*/id:|prog/xdp id )(\\d+)");

	private final String runId = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));

	private final List<String> namespaces = new ArrayList<>();

	private final List<Process> processes = new ArrayList<>();

	private final List<AutoCloseable> cleanups = new ArrayList<>();

	private Path pins;

	@BeforeEach
	void link() throws IOException {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "arping", "bpftool");
		String node = ns("n");
		String client = ns("c");
		PodTopology.exec(node, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "l2kc" + this.runId,
				"netns", PodTopology.namespacePath(client).toString());
		PodTopology.exec(client, "ip", "link", "set", "l2kc" + this.runId, "name", "eth0");
		PodTopology.exec(node, "ip", "addr", "add", "192.0.2.11/24", "dev", "eth0");
		PodTopology.exec(client, "ip", "addr", "add", "192.0.2.2/24", "dev", "eth0");
		PodTopology.exec(node, "ip", "link", "set", "eth0", "up");
		PodTopology.exec(client, "ip", "link", "set", "eth0", "up");
		this.pins = Files.createDirectories(Path.of("/sys/fs/bpf", "l2kill-" + this.runId));
	}

	@AfterEach
	void cleanUp() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroyForcibly();
			process.waitFor(20, TimeUnit.SECONDS);
		}
		for (int i = this.cleanups.size() - 1; i >= 0; i--) {
			try {
				this.cleanups.get(i).close();
			}
			catch (Exception ex) {
				// keep cleaning
			}
		}
		for (String namespace : this.namespaces) {
			PodTopology.tryRun("ip", "netns", "del", namespace);
		}
		if (this.pins != null) {
			PodTopology.tryRun("rm", "-rf", this.pins.toString());
		}
	}

	@Test
	void aResponderKilledWithSigkillStopsAnswering() throws Exception {
		String nodeMac = mac(name("n"));
		Process responder = startResponder();
		assertThat(arpingMacs()).as("answers for %s while the responder runs", SERVICE_IP).containsExactly(nodeMac);
		assertThat(xdpId(name("n"))).as("XDP program on the node's eth0").isPositive();

		responder.destroyForcibly();
		assertThat(responder.waitFor(20, TimeUnit.SECONDS)).as("the responder's process ending").isTrue();
		assertThat(responder.exitValue()).as("exit status of a SIGKILLed JVM").isEqualTo(128 + 9);

		assertThat(arpingMacs()).as("answers for %s after the responder was killed", SERVICE_IP).isEmpty();
		assertThat(xdpId(name("n"))).as("XDP program on the node's eth0 after SIGKILL").isZero();
	}

	@Test
	void aNetlinkAttachedResponderLeftBehindIsReplacedAndAGracefulStopDetaches() throws Exception {
		String node = name("n");
		Libbpf libbpf = TestLibbpf.get();
		int ifindex = NetworkNamespace.call(PodTopology.namespacePath(node),
				() -> NetworkInterface.getByName("eth0").getIndex());
		// what an agent before links left: attached over netlink, its process gone
		try (BpfObject legacy = BpfObject.open(libbpf, DatapathObjects.resolve(BpfL2Responder.OBJECT))) {
			legacy.load();
			int fd = legacy.program(BpfL2Responder.PROGRAM).fd();
			NetworkNamespace.call(PodTopology.namespacePath(node), () -> libbpf
				.check(libbpf.bindings().bpf_xdp_attach(ifindex, fd, XdpMode.GENERIC.flags(), null), "legacy attach"));
		}
		int legacyId = xdpId(node);
		assertThat(legacyId).as("the legacy program, still attached with its object closed").isPositive();

		BpfL2Responder responder = new BpfL2Responder(libbpf, () -> this.pins, PodTopology.namespacePath(node),
				XdpMode.GENERIC);
		this.cleanups.add(responder);
		responder.sync(Set.of(new ResponderEntry("eth0", InetAddress.getByName(SERVICE_IP))));
		int linkedId = xdpId(node);
		assertThat(linkedId).as("the program on eth0 after the new responder's sync")
			.isPositive()
			.isNotEqualTo(legacyId);
		assertThat(PodTopology.tryRun("bpftool", "link", "show").output()).as("BPF links")
			.containsPattern("xdp\\s+prog " + linkedId + "\\b");
		assertThat(arpingMacs()).as("answers for %s", SERVICE_IP).containsExactly(mac(node));

		responder.close();
		assertThat(xdpId(node)).as("XDP program on eth0 after a graceful stop").isZero();
		assertThat(arpingMacs()).as("answers for %s after a graceful stop", SERVICE_IP).isEmpty();
	}

	/** The responder in a child JVM, once it says it answers. */
	private Process startResponder() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-cp",
				System.getProperty("java.class.path"), L2ResponderProcess.class.getName(), this.pins.toString(),
				PodTopology.namespacePath(name("n")).toString(), "eth0", SERVICE_IP)
			.redirectErrorStream(true)
			.start();
		this.processes.add(process);
		StringBuilder output = new StringBuilder();
		CompletableFuture<Boolean> answering = CompletableFuture.supplyAsync(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					output.append(line).append('\n');
					if (line.equals("answering")) {
						return true;
					}
				}
				return false;
			}
			catch (IOException ex) {
				return false;
			}
		});
		assertThat(answering.get(120, TimeUnit.SECONDS)).as("the responder process starting: %s", output).isTrue();
		return process;
	}

	private List<String> arpingMacs() {
		PodTopology.Result result = PodTopology.tryRun("nsenter", "--net=" + PodTopology.namespacePath(name("c")),
				"arping", "-c", "3", "-w", "4", "-I", "eth0", SERVICE_IP);
		Set<String> macs = new TreeSet<>();
		Matcher matcher = REPLY_MAC.matcher(result.output());
		while (matcher.find()) {
			macs.add(matcher.group(1).toLowerCase(Locale.ROOT));
		}
		return List.copyOf(macs);
	}

	/** The id of the XDP program on the namespace's eth0, 0 if none. */
	private static int xdpId(String namespace) {
		Matcher matcher = XDP_ID.matcher(PodTopology.exec(namespace, "ip", "-d", "link", "show", "dev", "eth0"));
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
	}

	private static String mac(String namespace) {
		Matcher matcher = Pattern.compile("link/ether ([0-9a-f:]{17})")
			.matcher(PodTopology.exec(namespace, "ip", "-o", "link", "show", "dev", "eth0"));
		assertThat(matcher.find()).isTrue();
		return matcher.group(1);
	}

	private String ns(String shortName) {
		String namespace = name(shortName);
		PodTopology.Result added = PodTopology.tryRun("ip", "netns", "add", namespace);
		assertThat(added.exitCode()).as("ip netns add %s: %s", namespace, added.output()).isZero();
		this.namespaces.add(namespace);
		return namespace;
	}

	private String name(String shortName) {
		return "l2k" + shortName + "-" + this.runId;
	}

}
