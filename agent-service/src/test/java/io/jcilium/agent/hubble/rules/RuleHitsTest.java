package io.jcilium.agent.hubble.rules;

import java.util.List;

import io.jcilium.agent.policy.RealizedPolicies;
import io.jcilium.api.hubble.flow.CiliumEventType;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.TCP;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.agent.hubble.enrich.PolicyCorrelation;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.model.PolicySource;
import io.jcilium.common.policy.parse.PolicyParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-policy hits counted from verdict flows that the real policy engine's rules decided:
 * the policy that does the work counts its connections per direction and action, a policy
 * no connection used shows with zeros, and the cap on counted policies bites visibly.
 */
class RuleHitsTest {

	private static final long WEB = 1000;

	private static final long CLIENT = 1001;

	private static final long ATTACKER = 1002;

	private static final String POLICIES = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: client}}]
			      toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
			---
			apiVersion: cilium.io/v2
			kind: CiliumClusterwideNetworkPolicy
			metadata: {name: lock-out-attacker}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingressDeny:
			    - fromEndpoints: [{matchLabels: {app: attacker}}]
			---
			apiVersion: networking.k8s.io/v1
			kind: NetworkPolicy
			metadata: {name: never-used, namespace: shop}
			spec:
			  podSelector: {matchLabels: {app: web}}
			  ingress:
			    - from: [{podSelector: {matchLabels: {app: nobody}}}]
			""";

	private final PolicyEngine engine = new PolicyEngine();

	private final RealizedPolicies realized = new RealizedPolicies() {

		@Override
		public long revision() {
			return 1;
		}

		@Override
		public EndpointPolicy policy(long identity) {
			return RuleHitsTest.this.engine.policy(identity);
		}

		@Override
		public List<PolicySource> sources() {
			return RuleHitsTest.this.engine.rules().stream().map(PolicyRule::source).distinct().toList();
		}

	};

	private final PolicyCorrelation correlation = new PolicyCorrelation(this.realized);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	RuleHitsTest() {
		for (long id : List.of(WEB, CLIENT, ATTACKER)) {
			this.engine.upsertIdentity(Identity.of(id, labels(id)));
		}
		this.engine.upsertEndpoint(WEB, List.of());
		new PolicyParser().parse(POLICIES).forEach(this.engine::upsertPolicy);
	}

	@Test
	void eachPolicyCountsTheConnectionsItDecidedAndAnUnusedOneShowsWithZeros() {
		RuleHits hits = new RuleHits(this.registry, 100);
		for (int i = 0; i < 3; i++) {
			hits.flow(verdict(CLIENT, 8080, Verdict.FORWARDED, 0));
		}
		hits.flow(verdict(ATTACKER, 8080, Verdict.DROPPED, 181));
		// a default deny names no policy: nobody's hit
		hits.flow(verdict(CLIENT, 9090, Verdict.DROPPED, 133));

		assertThat(hits.snapshot(this.realized.sources())).containsExactly(
				new RuleHit("CiliumClusterwideNetworkPolicy", "", "lock-out-attacker", true, 0, 1, 0, 0, 0, 0, 0, 0),
				new RuleHit("CiliumNetworkPolicy", "shop", "web", true, 3, 0, 0, 0, 0, 0, 0, 0),
				new RuleHit("NetworkPolicy", "shop", "never-used", true, 0, 0, 0, 0, 0, 0, 0, 0));
		assertThat(this.registry.get("hubble.policy.rule.verdicts")
			.tags("kind", "CiliumNetworkPolicy", "namespace", "shop", "name", "web", "direction", "ingress", "action",
					"forwarded")
			.functionCounter()
			.count()).isEqualTo(3);
		assertThat(this.registry.get("hubble.policy.rule.verdicts")
			.tags("name", "lock-out-attacker", "direction", "ingress", "action", "dropped")
			.functionCounter()
			.count()).isEqualTo(1);
		assertThat(this.registry.find("hubble.policy.rule.verdicts").tags("name", "never-used").meters())
			.as("registered at its first hit")
			.isEmpty();
	}

	@Test
	void aRemovedPolicyKeepsItsCountsAndIsNoLongerInForce() {
		RuleHits hits = new RuleHits(this.registry, 100);
		hits.flow(verdict(CLIENT, 8080, Verdict.FORWARDED, 0));

		assertThat(hits.snapshot(List.of()))
			.containsExactly(new RuleHit("CiliumNetworkPolicy", "shop", "web", false, 1, 0, 0, 0, 0, 0, 0, 0));
	}

	@Test
	void policiesBeyondTheCapAreCountedAsOverTheLimit() {
		RuleHits hits = new RuleHits(this.registry, 1);
		hits.flow(verdict(CLIENT, 8080, Verdict.FORWARDED, 0));
		hits.flow(verdict(ATTACKER, 8080, Verdict.DROPPED, 181));
		hits.flow(verdict(ATTACKER, 8080, Verdict.DROPPED, 181));

		assertThat(hits.snapshot(List.of())).extracting(RuleHit::name).containsExactly("web");
		assertThat(this.registry.get("hubble.policy.rule.over.limit").counter().count()).isEqualTo(2);
	}

	private Flow verdict(long source, int port, Verdict verdict, int dropReason) {
		Flow.Builder flow = Flow.newBuilder()
			.setEventType(CiliumEventType.newBuilder().setType(5))
			.setSource(Endpoint.newBuilder().setIdentity((int) source))
			.setDestination(Endpoint.newBuilder().setIdentity((int) WEB))
			.setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setSourcePort(40000).setDestinationPort(port)))
			.setTrafficDirection(TrafficDirection.INGRESS)
			.setVerdict(verdict)
			.setDropReason(dropReason);
		this.correlation.correlate(flow);
		return flow.build();
	}

	private static Labels labels(long id) {
		String app = switch ((int) id) {
			case 1000 -> "web";
			case 1001 -> "client";
			default -> "attacker";
		};
		return Labels.parse(List.of("k8s:app=" + app, "k8s:io.kubernetes.pod.namespace=shop"));
	}

}
