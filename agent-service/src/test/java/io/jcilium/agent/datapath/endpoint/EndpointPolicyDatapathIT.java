package io.jcilium.agent.datapath.endpoint;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.PodTraffic;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.agent.datapath.tc.TcAttachPoint;
import io.jcilium.agent.endpoint.Endpoint;
import io.jcilium.agent.endpoint.TestEndpoints;
import io.jcilium.agent.link.PodLink;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pods driven through the agent's endpoint datapath and policy cell, with policy written
 * as a user writes it (CiliumNetworkPolicy YAML) and checked with real packets: ping, TCP
 * and UDP between pod namespaces through a node namespace.
 */
class EndpointPolicyDatapathIT {

	static final long CLIENT = 1001;

	static final long WEB = 1002;

	static final long BATCH = 1003;

	/** The web pods accept the clients on TCP 8080, UDP 9090 and ping. */
	static final String WEB_POLICY = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: client}}]
			      toPorts: [{ports: [{port: "8080", protocol: TCP}, {port: "9090", protocol: UDP}]}]
			    - fromEndpoints: [{matchLabels: {app: client}}]
			      icmps: [{fields: [{type: 8, family: IPv4}]}]
			""";

	private final PolicyParser parser = new PolicyParser();

	private EndpointRig rig;

	private PodTopology.Pod client;

	private PodTopology.Pod web;

	private Endpoint clientEndpoint;

	private Endpoint webEndpoint;

	private final List<ServerSocket> listeners = new ArrayList<>();

	@BeforeEach
	void setUp() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "ping", "sysctl");
		this.rig = new EndpointRig("jcilium-ep-it");
		this.client = this.rig.topology.addPod("c", "10.201.0.1");
		this.web = this.rig.topology.addPod("w", "10.201.0.2");
		this.rig.startAgent();
		this.rig.policy.upsertIdentity(Identity.of(CLIENT, EndpointRig.labels("client")));
		this.rig.policy.awaitMapsWritten();
		this.rig.policy.upsertIdentity(Identity.of(WEB, EndpointRig.labels("web")));
		this.rig.policy.awaitMapsWritten();
		this.clientEndpoint = this.rig.endpoint(this.client, 1, CLIENT, EndpointRig.labels("client"));
		this.webEndpoint = this.rig.endpoint(this.web, 2, WEB, EndpointRig.labels("web"));
		this.rig.datapath.regenerate(this.clientEndpoint);
		this.rig.datapath.regenerate(this.webEndpoint);
		for (int port : new int[] { 8080, 8081 }) {
			this.listeners.add(PodTraffic.listen(this.web, port));
		}
	}

	@AfterEach
	void tearDown() throws Exception {
		for (ServerSocket listener : this.listeners) {
			listener.close();
		}
		if (this.rig != null) {
			this.rig.close();
		}
	}

	@Test
	void aPolicySelectingThePodDeniesByDefaultAndAllowsByLabelAndPort() {
		assertThat(PodTraffic.connects(this.client, this.web, 8081, 1000)).as("no policy yet: all allowed").isTrue();

		this.rig.policy.upsertPolicy(policy(WEB_POLICY));
		this.rig.policy.awaitMapsWritten();

		assertThat(PodTraffic.connects(this.client, this.web, 8080, 1000)).as("TCP 8080 allowed").isTrue();
		assertThat(PodTraffic.connects(this.client, this.web, 8081, 1000)).as("TCP 8081 default-denied").isFalse();
		assertThat(PodTraffic.udpDelivered(this.client, this.web, 9090)).as("UDP 9090 allowed").isTrue();
		assertThat(PodTraffic.udpDelivered(this.client, this.web, 9091)).as("UDP 9091 default-denied").isFalse();
		assertThat(PodTraffic.ping(this.client, this.web, 2)).as("echo request allowed").isEqualTo(2);
		assertThat(PodTraffic.ping(this.web, this.client, 2)).as("the client is selected by no policy").isEqualTo(2);
	}

	@Test
	void aDenyRuleBeatsAnAllowRule() {
		this.rig.policy.upsertPolicy(policy("""
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: web-all-but-8081, namespace: shop}
				spec:
				  endpointSelector: {matchLabels: {app: web}}
				  ingress:
				    - fromEndpoints: [{matchLabels: {app: client}}]
				  ingressDeny:
				    - fromEndpoints: [{matchLabels: {app: client}}]
				      toPorts: [{ports: [{port: "8081", protocol: TCP}]}]
				"""));
		this.rig.policy.awaitMapsWritten();

		assertThat(PodTraffic.connects(this.client, this.web, 8080, 1000)).as("allowed by the L3 rule").isTrue();
		assertThat(PodTraffic.connects(this.client, this.web, 8081, 1000)).as("the deny wins").isFalse();
		assertThat(PodTraffic.ping(this.client, this.web, 2)).isEqualTo(2);
	}

	@Test
	void aPolicyUpdateAppliesToNewConnections() {
		this.rig.policy.upsertPolicy(policy(WEB_POLICY));
		this.rig.policy.awaitMapsWritten();
		assertThat(PodTraffic.connects(this.client, this.web, 8081, 1000)).isFalse();

		long start = System.nanoTime();
		this.rig.policy.upsertPolicy(policy(WEB_POLICY.replace("{port: \"8080\", protocol: TCP}",
				"{port: \"8080\", protocol: TCP}, {port: \"8081\", protocol: TCP}")));
		this.rig.policy.awaitMapsWritten();
		long written = System.nanoTime();
		assertThat(PodTraffic.connects(this.client, this.web, 8081, 1000)).as("8081 allowed after the update").isTrue();
		long connected = System.nanoTime();
		System.out.printf("policy update: maps written after %.2f ms, first new connection through after %.2f ms%n",
				(written - start) / 1e6, (connected - start) / 1e6);

		this.rig.policy.upsertPolicy(policy(WEB_POLICY));
		this.rig.policy.awaitMapsWritten();
		assertThat(PodTraffic.connects(this.client, this.web, 8081, 1000)).as("8081 denied again").isFalse();
		assertThat(PodTraffic.connects(this.client, this.web, 8080, 1000)).isTrue();
	}

	@Test
	void anIdentityChangeRewritesOnlyThatEndpointsMap() {
		PodTopology.Pod otherWeb = this.rig.topology.addPod("x", "10.201.0.3");
		Endpoint otherEndpoint = this.rig.endpoint(otherWeb, 3, WEB, EndpointRig.labels("web"));
		this.rig.datapath.regenerate(otherEndpoint);
		this.listeners.add(PodTraffic.listen(otherWeb, 8081));
		this.rig.policy.upsertPolicy(policy(WEB_POLICY));
		this.rig.policy.awaitMapsWritten();
		assertThat(PodTraffic.connects(this.client, otherWeb, 8081, 1000)).isFalse();
		long webWrites = this.rig.policy.mapWrites(2);
		long clientWrites = this.rig.policy.mapWrites(1);
		long otherWrites = this.rig.policy.mapWrites(3);

		// the pod's labels change: app=batch, which no policy selects
		TestEndpoints.relabel(otherEndpoint, BATCH, EndpointRig.labels("batch"));
		this.rig.datapath.regenerate(otherEndpoint);

		assertThat(this.rig.policy.mapWrites(3)).as("the relabelled endpoint's map").isGreaterThan(otherWrites);
		assertThat(this.rig.policy.mapWrites(2)).as("the other web endpoint's map").isEqualTo(webWrites);
		assertThat(this.rig.policy.mapWrites(1)).as("the client's map").isEqualTo(clientWrites);
		assertThat(this.rig.datapath.program(3).config().identity()).isEqualTo((int) BATCH);
		assertThat(this.rig.shared.maps().ipcache().entries().values())
			.anyMatch((info) -> info.identity() == (int) BATCH);
		assertThat(PodTraffic.connects(this.client, otherWeb, 8081, 1000)).as("batch pods are not selected").isTrue();
		assertThat(PodTraffic.connects(this.client, this.web, 8081, 1000)).as("web still is").isFalse();
	}

	@Test
	void aRestartedAgentRestoresEndpointsWhileTrafficFlowsAndAppliesWhatChangedMeanwhile() throws Exception {
		this.rig.policy.upsertPolicy(policy(WEB_POLICY));
		this.rig.policy.awaitMapsWritten();
		int count = 500;
		// 500 pings 10 ms apart: ~5 s of traffic spanning the whole restart
		Process ping = PodTopology.start(this.client.namespace(), "ping", "-n", "-i", "0.01", "-c",
				String.valueOf(count), "-W", "2", this.web.address());
		try {
			Thread.sleep(1000);
			this.rig.stopAgent();
			Thread.sleep(500);
			this.rig.startAgent();
			this.rig.policy.upsertIdentity(Identity.of(CLIENT, EndpointRig.labels("client")));
			this.rig.policy.awaitMapsWritten();
			this.rig.policy.upsertIdentity(Identity.of(WEB, EndpointRig.labels("web")));
			this.rig.policy.awaitMapsWritten();
			// changed while the agent was down: 8081 allowed too
			this.rig.policy.upsertPolicy(policy(WEB_POLICY.replace("{port: \"8080\", protocol: TCP}",
					"{port: \"8080\", protocol: TCP}, {port: \"8081\", protocol: TCP}")));
			this.rig.policy.awaitMapsWritten();
			this.rig.datapath.restore(this.clientEndpoint);
			this.rig.datapath.restore(this.webEndpoint);

			assertThat(ping.waitFor(30, TimeUnit.SECONDS)).as("ping finished").isTrue();
			String output = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			Matcher stats = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(output);
			assertThat(stats.find()).as(output).isTrue();
			assertThat(Integer.parseInt(stats.group(2))).as("no ping lost across the restart").isEqualTo(count);
		}
		finally {
			ping.destroyForcibly();
		}
		assertThat(this.rig.policy.mapWrites(1)).as("the client's pinned map was up to date").isZero();
		assertThat(this.rig.policy.mapWrites(2)).as("only the key of the change made while down").isOne();
		assertThat(PodTraffic.connects(this.client, this.web, 8080, 1000)).isTrue();
		assertThat(PodTraffic.connects(this.client, this.web, 8081, 1000)).as("the change took effect").isTrue();
	}

	@Test
	void aFailedProgramSwapLeavesThePreviousProgramAndPolicyInForce() {
		this.rig.policy.upsertPolicy(policy(WEB_POLICY));
		this.rig.policy.awaitMapsWritten();
		PodLink link = this.webEndpoint.link();
		PodLink vanished = new PodLink(link.hostIfName(), 0x7ffffff0, link.hostMac(), link.podIfName(), link.podMac());
		Endpoint moved = TestEndpoints.linked(2, this.webEndpoint.ip(), vanished, WEB, EndpointRig.labels("web"));

		assertThatThrownBy(() -> this.rig.datapath.regenerate(moved)).isInstanceOf(RuntimeException.class);

		assertThat(this.rig.datapath.program(2).config().ifindex()).isEqualTo(link.hostIfIndex());
		assertThat(this.rig.shared.maps().endpoints().entries().get(this.webEndpoint.ip()).ifindex())
			.isEqualTo(link.hostIfIndex());
		assertThat(PodTraffic.connects(this.client, this.web, 8080, 1000)).isTrue();
		assertThat(PodTraffic.connects(this.client, this.web, 8081, 1000)).isFalse();
		this.rig.policy.upsertPolicy(policy(WEB_POLICY.replace("{port: \"8080\", protocol: TCP}",
				"{port: \"8080\", protocol: TCP}, {port: \"8081\", protocol: TCP}")));
		this.rig.policy.awaitMapsWritten();
		assertThat(PodTraffic.connects(this.client, this.web, 8081, 1000)).as("policy still reaches the map").isTrue();
	}

	@Test
	void removeDetachesUnpinsAndForgetsTheEndpointAndIsIdempotent() {
		this.rig.policy.upsertPolicy(policy(WEB_POLICY));
		this.rig.policy.awaitMapsWritten();
		int ifindex = this.webEndpoint.link().hostIfIndex();

		this.rig.datapath.remove(this.webEndpoint);
		this.rig.datapath.remove(this.webEndpoint);

		assertThat(Files.exists(this.rig.layout.policyMap(2))).isFalse();
		assertThat(this.rig.shared.maps().endpoints().entries()).doesNotContainKey(this.webEndpoint.ip());
		assertThat(NetworkNamespace.call(this.rig.topology.nodeNamespacePath(),
				() -> TestLibbpf.tcHooks().query(ifindex, TcAttachPoint.EGRESS)))
			.isEmpty();
		assertThat(PodTraffic.connects(this.client, this.web, 8081, 1000)).as("no program, no policy").isTrue();
	}

	@Test
	void whatAQuarantinedEndpointLeftIsRemovedByIdAndItsStillAttachedProgramsPassNothing() {
		assertThat(PodTraffic.connects(this.client, this.web, 8081, 1000)).isTrue();
		assertThatThrownBy(() -> this.rig.datapath.removeOrphaned(2)).as("a live endpoint's id")
			.isInstanceOf(IllegalStateException.class);
		// a restarted agent that could not restore the web endpoint (its state file was
		// quarantined): it never loaded endpoint 2, whose programs still run on its veth
		this.rig.stopAgent();
		this.rig.startAgent();

		this.rig.datapath.removeOrphaned(2);

		assertThat(Files.exists(this.rig.layout.policyMap(2))).as("policy map unpinned").isFalse();
		assertThat(this.rig.shared.maps().endpointConfig().get(2)).as("settings removed").isEmpty();
		assertThat(this.rig.shared.maps().policyCalls().programId(2)).as("no local delivery").isEmpty();
		assertThat(this.rig.shared.maps().endpointConfig().get(1)).as("the client's settings stay").isPresent();
		assertThat(PodTraffic.connects(this.client, this.web, 8081, 1000))
			.as("the web veth's programs read no settings: nothing passes")
			.isFalse();
	}

	private PolicyObject policy(String yaml) {
		return this.parser.parse(yaml).get(0);
	}

}
