package io.jcilium.agent.hubble.enrich;

import java.util.List;
import java.util.UUID;

import io.jcilium.agent.policy.RealizedPolicies;
import io.jcilium.api.hubble.flow.CiliumEventType;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.Policy;
import io.jcilium.api.hubble.flow.TCP;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.PolicySource;
import io.jcilium.common.policy.parse.PolicyParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verdict flows name the rules that decided them, computed by the real policy engine from
 * policy YAML: the allowing rule of an allowed connection per direction, the deny rule of
 * a denied one (also when an allow rule covers the same traffic), nothing for a default
 * deny or for a decision the current policy no longer explains.
 */
class PolicyCorrelationTest {

	private static final long WEB = 1000;

	private static final long CLIENT = 1001;

	private static final long ATTACKER = 1002;

	private static final long DB = 1003;

	private static final String POLICIES = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web, namespace: shop, uid: 0b7c5a4e-1111-4a7e-9c1d-2f9e8d7c6b5a}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: client}}, {matchLabels: {app: attacker}}]
			      toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
			  egress:
			    - toEndpoints: [{matchLabels: {app: db}}]
			---
			apiVersion: cilium.io/v2
			kind: CiliumClusterwideNetworkPolicy
			metadata: {name: lock-out-attacker}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingressDeny:
			    - fromEndpoints: [{matchLabels: {app: attacker}}]
			""";

	private final PolicyEngine engine = new PolicyEngine();

	private long revision = 1;

	private final PolicyCorrelation correlation = new PolicyCorrelation(new RealizedPolicies() {

		@Override
		public long revision() {
			return PolicyCorrelationTest.this.revision;
		}

		@Override
		public EndpointPolicy policy(long identity) {
			return PolicyCorrelationTest.this.engine.policy(identity);
		}

		@Override
		public List<PolicySource> sources() {
			return List.of();
		}

	});

	PolicyCorrelationTest() {
		for (long id : List.of(WEB, CLIENT, ATTACKER, DB)) {
			this.engine.upsertIdentity(Identity.of(id, labels(id)));
		}
		this.engine.upsertEndpoint(WEB, List.of());
		new PolicyParser().parse(POLICIES).forEach(this.engine::upsertPolicy);
	}

	@Test
	void anAllowedIngressConnectionNamesTheRuleThatAllowedIt() {
		Flow flow = correlate(verdict(CLIENT, WEB, TrafficDirection.INGRESS, 8080, Verdict.FORWARDED, 0));

		assertThat(flow.getIngressAllowedByList()).singleElement().satisfies((policy) -> {
			assertThat(policy.getName()).isEqualTo("web");
			assertThat(policy.getNamespace()).isEqualTo("shop");
			assertThat(policy.getKind()).isEqualTo("CiliumNetworkPolicy");
			assertThat(policy.getRevision()).isEqualTo(1);
			assertThat(policy.getLabelsList()).containsExactly(
					"k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy", "k8s:io.cilium.k8s.policy.name=web",
					"k8s:io.cilium.k8s.policy.namespace=shop",
					"k8s:io.cilium.k8s.policy.uid=0b7c5a4e-1111-4a7e-9c1d-2f9e8d7c6b5a");
		});
		assertThat(flow.getEgressAllowedByList()).isEmpty();
		assertThat(flow.getIngressDeniedByList()).isEmpty();
	}

	@Test
	void anAllowedEgressConnectionNamesItsRuleOnTheEgressSide() {
		Flow flow = correlate(verdict(WEB, DB, TrafficDirection.EGRESS, 5432, Verdict.FORWARDED, 0));

		assertThat(flow.getEgressAllowedByList()).extracting(Policy::getName).containsExactly("web");
		assertThat(flow.getIngressAllowedByList()).isEmpty();
	}

	@Test
	void aDenyRuleIsNamedEvenWhereAnAllowRuleCoversTheSameTraffic() {
		Flow flow = correlate(verdict(ATTACKER, WEB, TrafficDirection.INGRESS, 8080, Verdict.DROPPED, 181));

		assertThat(flow.getIngressDeniedByList()).singleElement().satisfies((policy) -> {
			assertThat(policy.getName()).isEqualTo("lock-out-attacker");
			assertThat(policy.getNamespace()).isEmpty();
			assertThat(policy.getKind()).isEqualTo("CiliumClusterwideNetworkPolicy");
		});
		assertThat(flow.getIngressAllowedByList()).isEmpty();
	}

	@Test
	void aDefaultDenyHasNoRuleToName() {
		// Port 9090 is allowed by no rule: POLICY_DENIED (133), not a deny rule.
		Flow flow = correlate(verdict(CLIENT, WEB, TrafficDirection.INGRESS, 9090, Verdict.DROPPED, 133));

		assertThat(flow.getIngressDeniedByList()).isEmpty();
		assertThat(flow.getIngressAllowedByList()).isEmpty();
	}

	@Test
	void aDecisionTheCurrentPolicyNoLongerExplainsNamesNothing() {
		// The datapath allowed port 9090 under an older policy: no allow entry matches
		// now.
		Flow flow = correlate(verdict(CLIENT, WEB, TrafficDirection.INGRESS, 9090, Verdict.FORWARDED, 0));

		assertThat(flow.getIngressAllowedByList()).isEmpty();
	}

	@Test
	void aPolicyChangeIsSeenAtTheNextRevision() {
		correlate(verdict(CLIENT, WEB, TrafficDirection.INGRESS, 8080, Verdict.FORWARDED, 0));
		new PolicyParser().parse("""
				apiVersion: networking.k8s.io/v1
				kind: NetworkPolicy
				metadata: {name: web-legacy, namespace: shop}
				spec:
				  podSelector: {matchLabels: {app: web}}
				  ingress:
				    - from: [{podSelector: {matchLabels: {app: client}}}]
				""").forEach(this.engine::upsertPolicy);
		this.revision = 2;

		Flow flow = correlate(verdict(CLIENT, WEB, TrafficDirection.INGRESS, 9090, Verdict.FORWARDED, 0));

		assertThat(flow.getIngressAllowedByList()).singleElement().satisfies((policy) -> {
			assertThat(policy.getName()).isEqualTo("web-legacy");
			assertThat(policy.getKind()).isEqualTo("NetworkPolicy");
			assertThat(policy.getRevision()).isEqualTo(2);
		});
	}

	@Test
	void tracesAreNotCorrelatedAndEveryFlowGetsItsOwnRandomUuid() {
		Flow.Builder trace = verdict(CLIENT, WEB, TrafficDirection.INGRESS, 8080, Verdict.FORWARDED, 0)
			.setEventType(CiliumEventType.newBuilder().setType(4));
		FlowEnricher enricher = new FlowEnricher("node-1", new LocalEndpoints(), (id) -> List.of(), this.correlation);

		Flow first = enricher.enrich(trace.build());
		Flow second = enricher.enrich(trace.build());

		assertThat(first.getIngressAllowedByList()).isEmpty();
		assertThat(first.getUuid()).isNotEqualTo(second.getUuid());
		UUID uuid = UUID.fromString(first.getUuid());
		assertThat(uuid.version()).isEqualTo(4);
		assertThat(uuid.variant()).isEqualTo(2);
	}

	private Flow correlate(Flow.Builder flow) {
		this.correlation.correlate(flow);
		return flow.build();
	}

	private static Flow.Builder verdict(long source, long destination, TrafficDirection direction, int port,
			Verdict verdict, int dropReason) {
		return Flow.newBuilder()
			.setEventType(CiliumEventType.newBuilder().setType(PolicyCorrelation.POLICY_VERDICT))
			.setSource(Endpoint.newBuilder().setIdentity((int) source))
			.setDestination(Endpoint.newBuilder().setIdentity((int) destination))
			.setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setSourcePort(40000).setDestinationPort(port)))
			.setTrafficDirection(direction)
			.setVerdict(verdict)
			.setDropReason(dropReason);
	}

	private static Labels labels(long id) {
		String app = switch ((int) id) {
			case 1000 -> "web";
			case 1001 -> "client";
			case 1002 -> "attacker";
			default -> "db";
		};
		return Labels.parse(List.of("k8s:app=" + app, "k8s:io.kubernetes.pod.namespace=shop"));
	}

}
