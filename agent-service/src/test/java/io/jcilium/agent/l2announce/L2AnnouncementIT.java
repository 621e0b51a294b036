package io.jcilium.agent.l2announce;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.l2.BpfL2Responder;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.api.crd.v2alpha1.CiliumL2AnnouncementPolicy;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes and a client on one LAN (network namespaces on a bridge), the policies,
 * Services, Nodes and Leases on fabric8's CRUD mock API server, upstream's Lease timings
 * (15 s, 5 s, 2 s). Real ARP and NDP: exactly one node answers for the service address,
 * the client learns it from the gratuitous ARP; when that node's announcer stops without
 * releasing its Lease (as a node that dies), the other node takes the Lease once it
 * expired, tells the client with a gratuitous ARP (and an unsolicited neighbour
 * advertisement) and answers from then on. A service whose only policies select no node
 * of ours or no device of the node is answered by nobody and gets no Lease.
 */
@EnableKubernetesMockClient(crud = true)
class L2AnnouncementIT {

	private static final String LB_IP = "192.0.2.100";

	private static final String LB_IP6 = "fd00:2::100";

	private static final String HIDDEN_IP = "192.0.2.101";

	private static final Duration BOUND = Duration.ofSeconds(90);

	private static final Pattern REPLY_MAC = Pattern.compile("reply from \\S+ \\[([0-9A-Fa-f:]{17})\\]");

	static KubernetesClient client;

	private final String runId = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));

	private final List<String> namespaces = new ArrayList<>();

	private final List<AutoCloseable> cleanups = new ArrayList<>();

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	@BeforeEach
	void lan() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "arping", "stdbuf", "sysctl", "ping");
		String lan = ns("lan");
		// no multicast snooping: neighbour solicitations reach every node like ARP
		// broadcasts
		PodTopology.exec(lan, "ip", "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
		PodTopology.exec(lan, "ip", "link", "set", "br0", "up");
		attach("n1", "192.0.2.11/24", "fd00:2::11/64");
		attach("n2", "192.0.2.12/24", "fd00:2::12/64");
		attach("cl", "192.0.2.2/24", "fd00:2::2/64");
		// the client takes addresses from gratuitous ARP into its neighbour table
		PodTopology.exec(name("cl"), "sysctl", "-qw", "net.ipv4.conf.eth0.arp_accept=1");
	}

	@AfterEach
	void cleanUp() {
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
	}

	@Test
	void oneNodeAnswersAndAnotherTakesOverWithinTheLeaseAfterItStops() throws Exception {
		apply(Node.class, """
				apiVersion: v1
				kind: Node
				metadata: {name: node-1, labels: {role: edge}}
				""");
		apply(Node.class, """
				apiVersion: v1
				kind: Node
				metadata: {name: node-2, labels: {role: edge}}
				""");
		apply(Service.class, """
				apiVersion: v1
				kind: Service
				metadata: {name: web, namespace: shop, labels: {app: web}}
				spec: {type: LoadBalancer, ports: [{port: 80}]}
				status:
				  loadBalancer: {ingress: [{ip: 192.0.2.100}, {ip: "fd00:2::100"}]}
				""");
		apply(Service.class, """
				apiVersion: v1
				kind: Service
				metadata: {name: hidden, namespace: shop, labels: {app: hidden}}
				spec: {type: LoadBalancer, ports: [{port: 80}]}
				status:
				  loadBalancer: {ingress: [{ip: 192.0.2.101}]}
				""");
		apply(CiliumL2AnnouncementPolicy.class, """
				apiVersion: cilium.io/v2alpha1
				kind: CiliumL2AnnouncementPolicy
				metadata: {name: edge}
				spec:
				  serviceSelector: {matchLabels: {app: web}}
				  nodeSelector: {matchLabels: {role: edge}}
				  interfaces: ["^eth[0-9]+"]
				  loadBalancerIPs: true
				""");
		apply(CiliumL2AnnouncementPolicy.class, """
				apiVersion: cilium.io/v2alpha1
				kind: CiliumL2AnnouncementPolicy
				metadata: {name: hidden-on-core-nodes}
				spec:
				  serviceSelector: {matchLabels: {app: hidden}}
				  nodeSelector: {matchLabels: {role: core}}
				  loadBalancerIPs: true
				""");
		apply(CiliumL2AnnouncementPolicy.class, """
				apiVersion: cilium.io/v2alpha1
				kind: CiliumL2AnnouncementPolicy
				metadata: {name: hidden-on-bonds}
				spec:
				  serviceSelector: {matchLabels: {app: hidden}}
				  interfaces: ["^bond"]
				  loadBalancerIPs: true
				""");
		String mac1 = mac("n1");
		String mac2 = mac("n2");
		String clientNs = name("cl");

		Announcing first = start("node-1", "n1");
		waitFor("node-1 to announce shop/web", () -> first.elections().held().size() == 1);
		Announcing second = start("node-2", "n2");
		waitFor("node-2 to compete for shop/web", () -> leaseHolder().equals("node-1") && second.ran());

		// before the client asks anything: only the gratuitous ARP can have told it
		waitFor("the client to learn node-1's MAC from its gratuitous ARP",
				() -> mac1.equals(neighbour(clientNs, LB_IP)));
		assertThat(arpingMacs(LB_IP)).as("answers for %s", LB_IP).containsExactly(mac1);
		PodTopology.tryRun("nsenter", "--net=" + PodTopology.namespacePath(clientNs), "ping", "-6", "-c", "1", "-W",
				"2", LB_IP6);
		assertThat(neighbour(clientNs, LB_IP6)).as("NDP answer for %s", LB_IP6).isEqualTo(mac1);
		assertThat(arpingMacs(HIDDEN_IP)).as("nobody announces %s", HIDDEN_IP).isEmpty();
		assertThat(client.leases().inNamespace("kube-system").withName("cilium-l2announce-shop-hidden").get()).isNull();

		// The client asks all along, by broadcast (a unicast request would reach only
		// the MAC that answered first).
		Arping arping = new Arping(clientNs, LB_IP);
		this.cleanups.add(arping);
		waitFor("node-1 to answer the client's arping", () -> arping.firstReplyFrom(mac1, 0) > 0);
		// node-1 dies halfway between two renewals, the expected case: its last renewal
		// is then half a retry period old. (Dying right after a renewal leaves the Lease
		// valid for its full 15 s: nobody may answer sooner than that renewal + 15 s.)
		first.stopRunning();
		Instant renewed = waitForRenewal();
		Thread.sleep(1000);
		long stopped = System.nanoTime();
		first.stop();
		// replies read from here on were sent after node-1 stopped answering
		long silent = System.nanoTime() + Duration.ofMillis(100).toNanos();
		waitFor("node-2 to answer the client's arping", () -> arping.firstReplyFrom(mac2, stopped) > 0);
		Duration takeover = Duration.ofNanos(arping.firstReplyFrom(mac2, stopped) - stopped);
		Duration sinceRenewal = Duration.between(renewed, Instant.now())
			.minus(Duration.ofNanos(System.nanoTime() - arping.firstReplyFrom(mac2, stopped)));
		System.out
			.printf("L2 announcement takeover: node-2's MAC answered arping %d ms after node-1 stopped, %d ms after"
					+ " its last renewal (lease 15 s, retry 2 s)%n", takeover.toMillis(), sinceRenewal.toMillis());
		assertThat(takeover).as("node-2 answering after node-1 stopped").isLessThanOrEqualTo(Duration.ofSeconds(15));
		assertThat(arping.macsSince(silent)).as("who answered after node-1 stopped").containsExactly(mac2);
		waitFor("the client to learn node-2's MAC from its gratuitous ARP",
				() -> mac2.equals(neighbour(clientNs, LB_IP)));
		assertThat(leaseHolder()).isEqualTo("node-2");
		waitFor("the client's IPv6 neighbour entry to move with the unsolicited advertisement",
				() -> mac2.equals(neighbour(clientNs, LB_IP6)));
		assertThat(arpingMacs(LB_IP)).as("answers for %s after the takeover", LB_IP).containsExactly(mac2);
	}

	/** Waits for node-1's next renewal of the Lease and returns its renew time. */
	private Instant waitForRenewal() throws InterruptedException {
		Instant before = renewTime();
		long deadline = System.nanoTime() + BOUND.toNanos();
		while (renewTime().equals(before)) {
			assertThat(System.nanoTime()).as("waiting for node-1 to renew its Lease").isLessThan(deadline);
			Thread.sleep(5);
		}
		return renewTime();
	}

	private Instant renewTime() {
		Lease lease = client.leases().inNamespace("kube-system").withName("cilium-l2announce-shop-web").get();
		return lease.getSpec().getRenewTime().toInstant();
	}

	private String leaseHolder() {
		Lease lease = client.leases().inNamespace("kube-system").withName("cilium-l2announce-shop-web").get();
		return (lease == null || lease.getSpec() == null) ? ""
				: Objects.requireNonNullElse(lease.getSpec().getHolderIdentity(), "");
	}

	/**
	 * One node's announcer, wired as the agent wires it, its devices in the node's
	 * namespace.
	 */
	private Announcing start(String nodeName, String shortName) throws IOException {
		Path pins = Files.createDirectories(Path.of("/sys/fs/bpf", "l2it-" + this.runId + "-" + shortName));
		this.cleanups.add(() -> PodTopology.tryRun("rm", "-rf", pins.toString()));
		BpfL2Responder responder = new BpfL2Responder(TestLibbpf.get(), () -> pins,
				PodTopology.namespacePath(name(shortName)), XdpMode.GENERIC);
		this.cleanups.add(responder);
		Jobs jobs = new Jobs("l2-it-" + nodeName, 1);
		this.cleanups.add(jobs);
		L2AnnouncementProperties properties = new L2AnnouncementProperties(true, Duration.ofSeconds(15),
				Duration.ofSeconds(5), Duration.ofSeconds(2), "kube-system", false, Duration.ofSeconds(30),
				XdpMode.GENERIC);
		Job[] job = new Job[1];
		LeaseElections elections = new LeaseElections(client, properties, nodeName, () -> job[0].trigger());
		this.cleanups.add(elections);
		boolean[] ran = new boolean[1];
		L2Announcer announcer = new L2Announcer(() -> {
			Node node = client.nodes().withName(nodeName).get();
			return new L2Inputs(client.resources(CiliumL2AnnouncementPolicy.class).list().getItems(),
					client.services().inAnyNamespace().list().getItems(),
					Objects.requireNonNullElse(node.getMetadata().getLabels(), Map.of()), responder.devices());
		}, elections, responder);
		job[0] = jobs.periodic("l2-announcements", Duration.ofSeconds(1),
				Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2)), () -> {
					announcer.reconcile();
					ran[0] = true;
				});
		job[0].start();
		this.cleanups.add(() -> job[0].stop());
		return new Announcing(announcer, elections, job[0], () -> ran[0]);
	}

	private List<String> arpingMacs(String address) {
		PodTopology.Result result = PodTopology.tryRun("nsenter", "--net=" + PodTopology.namespacePath(name("cl")),
				"arping", "-c", "3", "-w", "4", "-I", "eth0", address);
		Set<String> macs = new TreeSet<>();
		Matcher matcher = REPLY_MAC.matcher(result.output());
		while (matcher.find()) {
			macs.add(matcher.group(1).toLowerCase(Locale.ROOT));
		}
		return List.copyOf(macs);
	}

	private static String neighbour(String namespace, String address) {
		String line = PodTopology.tryRun("ip", "-n", namespace, "neigh", "show", address).output();
		Matcher matcher = Pattern.compile("lladdr ([0-9a-f:]{17})").matcher(line);
		return matcher.find() ? matcher.group(1) : "";
	}

	private String mac(String shortName) {
		String line = PodTopology.exec(name(shortName), "ip", "-o", "link", "show", "eth0");
		Matcher matcher = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(line);
		assertThat(matcher.find()).isTrue();
		return matcher.group(1);
	}

	private void attach(String shortName, String address, String address6) {
		String namespace = ns(shortName);
		String port = "l2" + shortName + this.runId;
		PodTopology.exec(namespace, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
		PodTopology.exec(name("lan"), "ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns",
				namespace);
		PodTopology.exec(name("lan"), "ip", "link", "set", port, "master", "br0", "up");
		PodTopology.exec(namespace, "ip", "addr", "add", address, "dev", "eth0");
		PodTopology.exec(namespace, "ip", "addr", "add", address6, "dev", "eth0", "nodad");
		PodTopology.exec(namespace, "ip", "link", "set", "eth0", "up");
		PodTopology.exec(namespace, "ip", "link", "set", "lo", "up");
	}

	private String ns(String shortName) {
		String namespace = name(shortName);
		PodTopology.Result added = PodTopology.tryRun("ip", "netns", "add", namespace);
		assertThat(added.exitCode()).as("ip netns add %s: %s", namespace, added.output()).isZero();
		this.namespaces.add(namespace);
		return namespace;
	}

	private String name(String shortName) {
		return "l2" + shortName + "-" + this.runId;
	}

	private static <T extends HasMetadata> void apply(Class<T> type, String yaml) {
		client.resource(client.getKubernetesSerialization().unmarshal(yaml, type)).create();
	}

	private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + BOUND.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
			Thread.sleep(200);
		}
	}

	/**
	 * {@code arping} from the client, every reply read as it comes with the moment it
	 * came: four of them a quarter second apart, as this arping sends once a second at
	 * most.
	 */
	private static final class Arping implements AutoCloseable {

		private final List<Process> processes = new ArrayList<>();

		private final Queue<long[]> replies = new ConcurrentLinkedQueue<>();

		private final List<String> macs = new CopyOnWriteArrayList<>();

		Arping(String namespace, String address) throws InterruptedException {
			for (int i = 0; i < 4; i++) {
				// -b: broadcast every request (a unicast one would reach only the MAC
				// that answered first); stdbuf: a reply line must reach us when printed
				Process process = PodTopology.start(namespace, "stdbuf", "-oL", "arping", "-b", "-w", "90", "-I",
						"eth0", address);
				this.processes.add(process);
				Thread reader = new Thread(() -> read(process), "arping-" + address + "-" + this.processes.size());
				reader.setDaemon(true);
				reader.start();
				Thread.sleep(250);
			}
		}

		private void read(Process process) {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					long now = System.nanoTime();
					Matcher matcher = REPLY_MAC.matcher(line);
					if (matcher.find()) {
						this.replies.add(new long[] { now, index(matcher.group(1).toLowerCase(Locale.ROOT)) });
					}
				}
			}
			catch (IOException ex) {
				// the process was stopped
			}
		}

		private synchronized int index(String mac) {
			if (!this.macs.contains(mac)) {
				this.macs.add(mac);
			}
			return this.macs.indexOf(mac);
		}

		/** The first reply from {@code mac} at or after {@code sinceNanos}, 0 if none. */
		long firstReplyFrom(String mac, long sinceNanos) {
			int index = this.macs.indexOf(mac);
			return this.replies.stream()
				.filter((reply) -> reply[1] == index && reply[0] >= sinceNanos)
				.mapToLong((reply) -> reply[0])
				.min()
				.orElse(0);
		}

		/** Every MAC that answered at or after {@code sinceNanos}. */
		Set<String> macsSince(long sinceNanos) {
			Set<String> answered = new TreeSet<>();
			this.replies.stream()
				.filter((reply) -> reply[0] >= sinceNanos)
				.forEach((reply) -> answered.add(this.macs.get((int) reply[1])));
			return answered;
		}

		@Override
		public void close() throws InterruptedException {
			for (Process process : this.processes) {
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
			}
		}

	}

	private record Announcing(L2Announcer announcer, LeaseElections elections, Job job, BooleanSupplier runs) {

		boolean ran() {
			return this.runs.getAsBoolean();
		}

		/**
		 * Stops as a crash would, once {@link #stopRunning()} has run: the elector at
		 * once (no renewal after this, no release), then the responder.
		 */
		void stop() {
			this.elections.leaveAll();
			this.announcer.stop();
		}

		/**
		 * Stops the announcer's runs, which could otherwise join the election again while
		 * the node is being stopped; the elector keeps renewing.
		 */
		void stopRunning() {
			this.job.stop();
		}

	}

}
