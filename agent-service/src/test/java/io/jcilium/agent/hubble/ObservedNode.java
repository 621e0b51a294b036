package io.jcilium.agent.hubble;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.events.EventReader;
import io.jcilium.agent.datapath.events.FlowForwarder;
import io.jcilium.agent.datapath.libbpf.MonotonicClock;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.loader.EndpointProgramLoader;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.PolicyEntries;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.agent.datapath.tc.TcAttachPoint;
import io.jcilium.agent.endpoint.EndpointStatus;
import io.jcilium.agent.hubble.enrich.FlowEnricher;
import io.jcilium.agent.hubble.enrich.LocalEndpoints;
import io.jcilium.agent.hubble.history.FlowHistory;
import io.jcilium.agent.hubble.history.HistorySettings;
import io.jcilium.agent.hubble.metrics.FlowMetrics;
import io.jcilium.agent.hubble.ring.FlowRing;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A node namespace with three pods of namespace {@code shop} and bpf_lxc on each, as the
 * agent runs them: server (endpoint 1), client (2) and attacker (3). The server admits
 * the client on TCP 8080 and nothing else; everyone may send anywhere; the server traces
 * every packet (replies too). The datapath's events reach a real Hubble observer through
 * the reader and {@link FlowForwarder}, served by the Observer service on a gRPC server
 * on a random port, with a durable flow history when given a directory. {@link #close()}
 * removes everything but the history, also after a partial start.
 */
final class ObservedNode implements AutoCloseable {

	static final int SERVER_ID = 1;

	static final int CLIENT_ID = 2;

	static final int ATTACKER_ID = 3;

	static final int SERVER_IDENTITY = 3101;

	static final int CLIENT_IDENTITY = 3102;

	static final int ATTACKER_IDENTITY = 3103;

	static final String NODE = "hubble-it-node";

	final PodTopology topology = new PodTopology();

	final BpffsLayout layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT, "jcilium-hub-" + this.topology.runId());

	private final List<EndpointProgram> programs = new ArrayList<>();

	final LocalEndpoints endpoints = new LocalEndpoints();

	final LocalObserver observer;

	/**
	 * Where the observer's flow metrics go, as the agent's Prometheus endpoint shows
	 * them.
	 */
	final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	private final FlowStreams streams = new FlowStreams(4);

	/** The flow history, null without one. */
	final FlowHistory history;

	private EventReader reader;

	private Server server;

	private ServerSocket listener;

	PodTopology.Pod serverPod;

	PodTopology.Pod clientPod;

	PodTopology.Pod attackerPod;

	ObservedNode() {
		this(null);
	}

	/**
	 * @param historyDirectory where the flow history is kept, null for none
	 */
	ObservedNode(Path historyDirectory) {
		Map<Long, List<String>> labels = Map.of((long) SERVER_IDENTITY, labels("server"), (long) CLIENT_IDENTITY,
				labels("client"), (long) ATTACKER_IDENTITY, labels("attacker"));
		FlowEnricher enricher = new FlowEnricher(NODE, this.endpoints, (id) -> labels.getOrDefault(id, List.of()));
		this.observer = new LocalObserver(new FlowRing(4095), enricher, Clock.systemUTC(),
				FlowMetrics.create(
						List.of("drop:sourceContext=pod;destinationContext=pod", "policy", "tcp", "port-distribution"),
						100, this.metrics));
		this.history = (historyDirectory != null) ? new FlowHistory(
				new HistorySettings(historyDirectory, java.time.Duration.ofHours(1), 64L << 20, 1L << 20),
				this.observer.ring(), Clock.systemUTC()) : null;
	}

	ObservedNode start() throws Exception {
		this.topology.createNode();
		this.serverPod = this.topology.addPod("s", "10.230.0.1");
		this.clientPod = this.topology.addPod("c", "10.230.0.2");
		this.attackerPod = this.topology.addPod("x", "10.230.0.3");
		EndpointProgramLoader loader = new EndpointProgramLoader(TestLibbpf.get(),
				DatapathObjects.resolve(DatapathObjects.LXC), this.layout);
		List<PodTopology.Pod> pods = List.of(this.serverPod, this.clientPod, this.attackerPod);
		int[] identities = { SERVER_IDENTITY, CLIENT_IDENTITY, ATTACKER_IDENTITY };
		String[] names = { "server-0", "client-0", "attacker-0" };
		for (int i = 0; i < pods.size(); i++) {
			PodTopology.Pod pod = pods.get(i);
			int id = i + 1;
			int ifindex = NetworkNamespace.interfaceIndex(this.topology.nodeNamespacePath(), pod.hostInterface());
			int flags = (id == SERVER_ID) ? DatapathStructs.LxcConfig.F_TRACE_ALL : 0;
			EndpointProgram program = loader.load(new DatapathStructs.LxcConfig(id, identities[i], ifindex, flags));
			this.programs.add(program);
			program.ipcache().put(Packets.parse(pod.address()), 32, identities[i], null);
			program.endpoints()
				.put(Packets.parse(pod.address()), new DatapathStructs.EndpointInfo(ifindex, id, 0, pod.mac(),
						this.topology.hostMac(pod), identities[i]));
			program.policy().put(PolicyEntries.allowAll(TrafficDirection.EGRESS));
			NetworkNamespace.call(this.topology.nodeNamespacePath(), () -> {
				TestLibbpf.tcHooks().attach(ifindex, TcAttachPoint.INGRESS, program.fromContainer());
				TestLibbpf.tcHooks().attach(ifindex, TcAttachPoint.EGRESS, program.toContainer());
				return null;
			});
			this.endpoints.endpointChanged(new EndpointStatus(id, "container-" + id, "eth0", pod.hostInterface(),
					ifindex, "shop", names[i], pod.address(), identities[i], "ready", "test"));
		}
		this.programs.get(0)
			.policy()
			.put(PolicyEntries.ports(CLIENT_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.TCP, 8080, 8080, false));
		FlowForwarder forwarder = new FlowForwarder(() -> List.of(this.observer), MonotonicClock::nowNanos);
		this.reader = new EventReader(this.programs.get(0).events(), forwarder::onEvent);
		this.reader.start();
		if (this.history != null) {
			this.history.start();
		}
		this.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
			.addService(new ObserverService(this.observer, this.streams, NODE, "test", "", "default", this.history))
			.build()
			.start();
		this.listener = io.jcilium.agent.datapath.PodTraffic.listen(this.serverPod, 8080);
		return this;
	}

	/**
	 * The server's policy stops admitting the client (its allow entry goes, as when the
	 * rule that selected it is deleted): the client is then denied like the attacker.
	 */
	void stopAdmittingTheClient() {
		this.programs.get(0)
			.policy()
			.remove(PolicyEntries.ports(CLIENT_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.TCP, 8080, 8080,
					false));
	}

	int grpcPort() {
		return this.server.getPort();
	}

	@Override
	public void close() throws Exception {
		if (this.server != null) {
			this.server.shutdownNow();
		}
		this.streams.stop();
		if (this.listener != null) {
			this.listener.close();
		}
		if (this.reader != null) {
			this.reader.close();
		}
		if (this.history != null) {
			this.history.stop();
		}
		this.programs.forEach(EndpointProgram::close);
		this.topology.close();
		this.layout.removeAll();
	}

	private static List<String> labels(String app) {
		return List.of("k8s:app=" + app, "k8s:io.kubernetes.pod.namespace=shop");
	}

}
