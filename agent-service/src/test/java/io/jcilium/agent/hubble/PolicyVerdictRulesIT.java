package io.jcilium.agent.hubble;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.PodTraffic;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.Policy;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.common.datapath.DropReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Real TCP through bpf_lxc whose server policy map the real policy engine computed from
 * policy YAML: the verdict flows read back over the Observer API name the rule that
 * allowed the client ({@code ingress_allowed_by}) and the deny rule that locked the
 * attacker out ({@code ingress_denied_by}), with name, namespace, kind, derived-from
 * labels and revision, and name nothing for a default deny.
 */
class PolicyVerdictRulesIT {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String POLICIES = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: server-ingress, namespace: shop, uid: 5d1e0c8a-2222-4b1e-8f3a-7c6d5e4f3a2b}
			spec:
			  endpointSelector: {matchLabels: {app: server}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: client}}, {matchLabels: {app: attacker}}]
			      toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
			---
			apiVersion: cilium.io/v2
			kind: CiliumClusterwideNetworkPolicy
			metadata: {name: lock-out-attacker}
			spec:
			  endpointSelector: {matchLabels: {app: server}}
			  ingressDeny:
			    - fromEndpoints: [{matchLabels: {app: attacker}}]
			""";

	private ObservedNode node;

	private ManagedChannel channel;

	private ObserverGrpc.ObserverBlockingStub observer;

	@BeforeEach
	void setUp() throws Exception {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "sysctl");
		this.node = new ObservedNode(null, POLICIES);
		this.node.start();
		this.channel = Grpc
			.newChannelBuilderForAddress("127.0.0.1", this.node.grpcPort(), InsecureChannelCredentials.create())
			.build();
		this.observer = ObserverGrpc.newBlockingStub(this.channel);
	}

	@AfterEach
	void tearDown() throws Exception {
		if (this.channel != null) {
			this.channel.shutdownNow();
		}
		if (this.node != null) {
			this.node.close();
		}
	}

	@Test
	void verdictFlowsNameTheRuleThatAllowedOrDeniedTheConnection() {
		assertThat(PodTraffic.connects(this.node.clientPod, this.node.serverPod, 8080, 5000)).as("client connects")
			.isTrue();
		assertThat(PodTraffic.connects(this.node.attackerPod, this.node.serverPod, 8080, 1000))
			.as("the attacker is denied although the allow rule covers it")
			.isFalse();
		assertThat(PodTraffic.connects(this.node.clientPod, this.node.serverPod, 9090, 1000))
			.as("no rule allows the client on 9090")
			.isFalse();

		Flow allowed = awaitVerdict("the server's verdict on the client's connection", ObservedNode.CLIENT_ID, 8080);
		assertThat(allowed.getVerdict()).isEqualTo(Verdict.FORWARDED);
		assertThat(allowed.getIngressAllowedByList()).singleElement().satisfies((policy) -> {
			assertThat(policy.getName()).isEqualTo("server-ingress");
			assertThat(policy.getNamespace()).isEqualTo("shop");
			assertThat(policy.getKind()).isEqualTo("CiliumNetworkPolicy");
			assertThat(policy.getRevision()).isEqualTo(1);
			assertThat(policy.getLabelsList()).containsExactly(
					"k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy",
					"k8s:io.cilium.k8s.policy.name=server-ingress", "k8s:io.cilium.k8s.policy.namespace=shop",
					"k8s:io.cilium.k8s.policy.uid=5d1e0c8a-2222-4b1e-8f3a-7c6d5e4f3a2b");
		});
		assertThat(allowed.getIngressDeniedByList()).isEmpty();
		assertThat(allowed.getEgressAllowedByList()).isEmpty();

		Flow denied = awaitVerdict("the server's verdict on the attacker's SYN", ObservedNode.ATTACKER_ID, 8080);
		assertThat(denied.getVerdict()).isEqualTo(Verdict.DROPPED);
		assertThat(DropReason.describe(denied.getDropReason())).isEqualTo("Policy denied by denylist");
		assertThat(denied.getIngressDeniedByList()).singleElement().satisfies((policy) -> {
			assertThat(policy.getName()).isEqualTo("lock-out-attacker");
			assertThat(policy.getNamespace()).isEmpty();
			assertThat(policy.getKind()).isEqualTo("CiliumClusterwideNetworkPolicy");
			assertThat(policy.getLabelsList())
				.contains("k8s:io.cilium.k8s.policy.derived-from=CiliumClusterwideNetworkPolicy");
		});
		assertThat(denied.getIngressAllowedByList()).as("the allow rule did not decide").isEmpty();
		assertThat(denied.getSource().getPodName()).isEqualTo("attacker-0");
		assertThat(denied.getDestination().getPodName()).isEqualTo("server-0");

		Flow defaultDeny = awaitVerdict("the server's verdict on the client's SYN to 9090", ObservedNode.CLIENT_ID,
				9090);
		assertThat(defaultDeny.getVerdict()).isEqualTo(Verdict.DROPPED);
		assertThat(DropReason.describe(defaultDeny.getDropReason())).isEqualTo("Policy denied");
		assertThat(defaultDeny.getIngressDeniedByList()).as("a default deny has no rule to name").isEmpty();
		assertThat(defaultDeny.getIngressAllowedByList()).isEmpty();

		List<Policy> named = new ArrayList<>();
		flows().forEach((f) -> {
			named.addAll(f.getIngressAllowedByList());
			named.addAll(f.getIngressDeniedByList());
		});
		assertThat(flows()).as("only policy verdicts name rules")
			.filteredOn((f) -> f.getEventType().getType() != 5)
			.allSatisfy((f) -> assertThat(f.getIngressAllowedByCount() + f.getIngressDeniedByCount()
					+ f.getEgressAllowedByCount() + f.getEgressDeniedByCount())
				.isZero());
		assertThat(named).isNotEmpty();
	}

	/** The server's ingress policy verdict on a connection from a pod to a port. */
	private Flow awaitVerdict(String what, int sourceId, int port) {
		Predicate<Flow> match = (f) -> f.getEventType().getType() == 5
				&& f.getTrafficDirection() == TrafficDirection.INGRESS && f.getSource().getID() == sourceId
				&& f.getDestination().getID() == ObservedNode.SERVER_ID
				&& f.getL4().getTCP().getDestinationPort() == port;
		long deadline = System.nanoTime() + WAIT.toNanos();
		List<Flow> seen = new ArrayList<>();
		while (System.nanoTime() < deadline) {
			seen = flows();
			for (Flow flow : seen) {
				if (match.test(flow)) {
					return flow;
				}
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return fail("no flow: " + what + " within " + WAIT + "; flows seen: " + seen);
	}

	private List<Flow> flows() {
		List<Flow> flows = new ArrayList<>();
		Iterator<GetFlowsResponse> responses = this.observer.withDeadlineAfter(WAIT)
			.getFlows(GetFlowsRequest.getDefaultInstance());
		while (responses.hasNext()) {
			GetFlowsResponse response = responses.next();
			if (response.hasFlow()) {
				flows.add(response.getFlow());
			}
		}
		return flows;
	}

}
