package io.jcilium.agent.hubble.rules;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.endpoint.BpfPolicyEntryCounters;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.loader.EndpointProgramLoader;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.PolicyEntries;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.agent.datapath.tc.TcAttachPoint;
import io.jcilium.agent.policy.PolicyMapContents;
import io.jcilium.agent.policy.RealizedPolicies;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.model.PolicySource;
import io.jcilium.common.policy.parse.PolicyParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-policy bytes on real packets: a client pod sends a megabyte over one TCP connection
 * to a web pod whose policy, computed by the real engine from real policy YAML, admits
 * it; bpf_lxc charges the entry that admitted the connection with every packet of it, and
 * the agent's reader attributes them to the policy. Before, only the opening SYN reached
 * the entry's counters.
 */
class RuleBytesIT {

	private static final int WEB = 1;

	private static final int CLIENT = 2;

	private static final long WEB_IDENTITY = 41_000;

	private static final long CLIENT_IDENTITY = 41_001;

	private static final int MEGABYTE = 1 << 20;

	private static final String POLICY = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web-from-client, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: client}}]
			      toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
			""";

	private final PolicyEngine engine = new PolicyEngine();

	private final Map<Integer, EndpointProgram> programs = new TreeMap<>();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private PodTopology topology;

	private BpffsLayout layout;

	private PodTopology.Pod webPod;

	private PodTopology.Pod clientPod;

	@BeforeEach
	void setUp() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "sysctl");
		this.engine.upsertIdentity(Identity.of(WEB_IDENTITY, labels("web")));
		this.engine.upsertIdentity(Identity.of(CLIENT_IDENTITY, labels("client")));
		this.engine.upsertEndpoint(WEB_IDENTITY, List.of());
		new PolicyParser().parse(POLICY).forEach(this.engine::upsertPolicy);

		this.topology = new PodTopology();
		this.layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT, "jcilium-it-" + this.topology.runId());
		this.topology.createNode();
		this.webPod = this.topology.addPod("w", "10.241.0.1");
		this.clientPod = this.topology.addPod("c", "10.241.0.2");
		EndpointProgramLoader loader = new EndpointProgramLoader(TestLibbpf.get(),
				DatapathObjects.resolve(DatapathObjects.LXC), this.layout);
		load(loader, WEB, this.webPod, WEB_IDENTITY);
		load(loader, CLIENT, this.clientPod, CLIENT_IDENTITY);
		EndpointPolicy web = this.engine.policy(WEB_IDENTITY);
		this.programs.get(WEB).policy().put(web.entries());
	}

	private void load(EndpointProgramLoader loader, int id, PodTopology.Pod pod, long identity) {
		int ifindex = NetworkNamespace.interfaceIndex(this.topology.nodeNamespacePath(), pod.hostInterface());
		EndpointProgram program = loader.load(new DatapathStructs.LxcConfig(id, (int) identity, ifindex, 0));
		this.programs.put(id, program);
		// the node's endpoints map: the pods deliver to each other directly (the default)
		program.endpoints()
			.put(Packets.parse(pod.address()), new DatapathStructs.EndpointInfo(ifindex, id, 0, pod.mac(),
					this.topology.hostMac(pod), (int) identity));
		for (PodTopology.Pod each : List.of(this.webPod, this.clientPod)) {
			long eachIdentity = (each == this.webPod) ? WEB_IDENTITY : CLIENT_IDENTITY;
			program.ipcache().put(Packets.parse(each.address()), 32, (int) eachIdentity, null);
		}
		program.policy().put(PolicyEntries.allowAll(TrafficDirection.EGRESS));
		NetworkNamespace.call(this.topology.nodeNamespacePath(), () -> {
			TestLibbpf.tcHooks().attach(ifindex, TcAttachPoint.INGRESS, program.fromContainer());
			TestLibbpf.tcHooks().attach(ifindex, TcAttachPoint.EGRESS, program.toContainer());
			return null;
		});
	}

	@AfterEach
	void tearDown() {
		this.programs.values().forEach(EndpointProgram::close);
		if (this.topology != null) {
			this.topology.close();
		}
		if (this.layout != null) {
			this.layout.removeAll();
		}
	}

	@Test
	void everyByteOfAnAdmittedConnectionCountsForThePolicyThatAdmittedIt() throws Exception {
		RuleBytes bytes = new RuleBytes(new BpfPolicyEntryCounters(() -> this.programs, realized()), this.registry, 100,
				null, RuleBytes.INTERVAL);
		assertThat(send(MEGABYTE)).as("the web pod read the whole megabyte").isEqualTo(MEGABYTE);
		long connection = awaitSettled();

		bytes.charge();
		List<RuleHit> rows = new RuleHits(this.registry, 100).snapshot(List.of(), bytes);
		assertThat(rows).hasSize(1);
		RuleHit web = rows.get(0);
		assertThat(web.name()).isEqualTo("web-from-client");
		assertThat(web.ingressForwardedBytes()).as("the payload and every header, both ways")
			.isGreaterThan(MEGABYTE)
			.isEqualTo(connection);
		assertThat(web.ingressDroppedBytes() + web.egressForwardedBytes() + web.egressDroppedBytes()).isZero();
		assertThat(this.registry.get("hubble.policy.rule.bytes")
			.tags("name", "web-from-client", "direction", "ingress", "action", "forwarded")
			.functionCounter()
			.count()).isEqualTo(connection);
	}

	@Test
	void theEndpointsMapReadsBackEveryKeyWithItsCountersPrefixAndTheEngineEntryWrittenAsIt() throws Exception {
		assertThat(send(64 * 1024)).isEqualTo(64 * 1024);
		awaitSettled();

		List<PolicyMapContents.Stored> stored = new BpfPolicyEntryCounters(() -> this.programs, realized())
			.entries(WEB);

		PolicyMapContents.Stored fromClient = stored.stream()
			.filter((entry) -> entry.peer() == CLIENT_IDENTITY)
			.findFirst()
			.orElseThrow();
		assertThat(fromClient.egress()).isFalse();
		assertThat(fromClient.deny()).isFalse();
		assertThat(fromClient.protocol()).isEqualTo(6);
		assertThat(fromClient.port()).isEqualTo(8080);
		assertThat(fromClient.portPrefixLength()).as("protocol and one whole port").isEqualTo(24);
		assertThat(fromClient.proxyPort()).isZero();
		assertThat(fromClient.packets()).isPositive();
		assertThat(fromClient.bytes()).isGreaterThan(64 * 1024);
		assertThat(fromClient.engineEntry()).isNotNull();
		assertThat(this.engine.policy(WEB_IDENTITY).derivedFrom(fromClient.engineEntry())).extracting("name")
			.containsExactly("web-from-client");
		// Written by the test, not by the engine: the map holds it all the same.
		PolicyMapContents.Stored egress = stored.stream()
			.filter(PolicyMapContents.Stored::egress)
			.findFirst()
			.orElseThrow();
		assertThat(egress.peer()).isZero();
		assertThat(egress.portPrefixLength()).isZero();
		assertThat(egress.engineEntry()).isNull();
		assertThat(new BpfPolicyEntryCounters(() -> this.programs, realized()).entries(99)).isNull();
	}

	/** Sends {@code size} bytes from the client to the web pod, returns what it read. */
	private long send(int size) throws Exception {
		try (ServerSocket listener = NetworkNamespace.call(this.webPod.namespacePath(), () -> {
			ServerSocket socket = new ServerSocket();
			socket.bind(new InetSocketAddress(this.webPod.address(), 8080));
			return socket;
		})) {
			listener.setSoTimeout(10_000);
			CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
				try (Socket accepted = listener.accept(); InputStream in = accepted.getInputStream()) {
					long total = 0;
					byte[] buffer = new byte[64 * 1024];
					for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
						total += n;
					}
					return total;
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			});
			try (Socket socket = NetworkNamespace.call(this.clientPod.namespacePath(), () -> {
				Socket connecting = new Socket();
				connecting.connect(new InetSocketAddress(this.webPod.address(), 8080), 5_000);
				return connecting;
			}); OutputStream out = socket.getOutputStream()) {
				out.write(new byte[size]);
				socket.shutdownOutput();
				long read = received.get(30, TimeUnit.SECONDS);
				socket.getInputStream().readAllBytes();
				return read;
			}
		}
	}

	/**
	 * The bytes of the connection both ways as the web pod's conntrack counted them, once
	 * its last packets (FINs, ACKs) have crossed: read until two reads agree.
	 */
	private long awaitSettled() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		long previous = -1;
		while (System.nanoTime() < deadline) {
			long now = conntrackBytes();
			if (now == previous) {
				return now;
			}
			previous = now;
			Thread.sleep(500);
		}
		throw new AssertionError("the connection's counters kept moving for 30 s");
	}

	private long conntrackBytes() {
		List<Long> perEntry = new ArrayList<>();
		this.programs.get(WEB).conntrack().entries().forEach((key, entry) -> {
			if (key.endpointId() == WEB && key.protocol() == 6 && key.destinationPort() == 8080) {
				perEntry.add(entry.bytes() + entry.rxBytes());
			}
		});
		assertThat(perEntry).as("one tracked connection on the web pod").hasSize(1);
		return perEntry.get(0);
	}

	private RealizedPolicies realized() {
		return new RealizedPolicies() {

			@Override
			public long revision() {
				return 1;
			}

			@Override
			public EndpointPolicy policy(long identity) {
				return RuleBytesIT.this.engine.policy(identity);
			}

			@Override
			public List<PolicySource> sources() {
				return RuleBytesIT.this.engine.rules().stream().map(PolicyRule::source).distinct().toList();
			}

		};
	}

	private static Labels labels(String app) {
		return Labels.parse(List.of("k8s:app=" + app, "k8s:io.kubernetes.pod.namespace=shop"));
	}

}
