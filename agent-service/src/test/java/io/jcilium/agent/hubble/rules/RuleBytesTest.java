package io.jcilium.agent.hubble.rules;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.agent.policy.PolicyEntryCounters;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.model.PolicySource;
import io.jcilium.common.policy.parse.PolicyParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-policy bytes from the counters of policy map entries the real policy engine
 * computed from real policy YAML: each entry's gain goes to the policies its rules come
 * from, per direction and action, counted once however often it is read; an entry written
 * anew counts from zero; the cap bites visibly. (The datapath's charging of every packet
 * is shown on real packets by {@code LxcProgramIT} and {@code RuleBytesIT}.)
 */
class RuleBytesTest {

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
			  egress:
			    - toEndpoints: [{matchLabels: {app: client}}]
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

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final List<Count> datapath = new ArrayList<>();

	private final PolicyEntryCounters counters = (visitor) -> List.copyOf(this.datapath)
		.forEach((count) -> visitor.entry(count.endpointId(), count.entry(), count.derivedFrom(), count.packets(),
				count.bytes()));

	RuleBytesTest() {
		for (long id : List.of(WEB, CLIENT, ATTACKER)) {
			this.engine.upsertIdentity(Identity.of(id, labels(id)));
		}
		this.engine.upsertEndpoint(WEB, List.of());
		new PolicyParser().parse(POLICIES).forEach(this.engine::upsertPolicy);
	}

	@Test
	void eachEntrysBytesGoToItsPoliciesPerDirectionAndActionOnceHoweverOftenRead() {
		RuleBytes bytes = new RuleBytes(this.counters, this.registry, 100, null, RuleBytes.INTERVAL);
		count(entry(CLIENT, 8080, false, false), 5_000);
		count(entry(ATTACKER, 0, false, true), 296);
		count(entry(CLIENT, 0, true, false), 1_200);
		bytes.charge();
		bytes.charge();

		List<RuleHit> rows = new RuleHits(this.registry, 100).snapshot(sources(), bytes);
		assertThat(rows).containsExactly(
				new RuleHit("CiliumClusterwideNetworkPolicy", "", "lock-out-attacker", true, 0, 0, 0, 0, 0, 296, 0, 0),
				new RuleHit("CiliumNetworkPolicy", "shop", "web", true, 0, 0, 0, 0, 5_000, 0, 1_200, 0),
				new RuleHit("NetworkPolicy", "shop", "never-used", true, 0, 0, 0, 0, 0, 0, 0, 0));
		assertThat(metric("web", "ingress", "forwarded")).isEqualTo(5_000);
		assertThat(metric("web", "egress", "forwarded")).isEqualTo(1_200);
		assertThat(metric("lock-out-attacker", "ingress", "dropped")).isEqualTo(296);

		// the connection moves on: only the gain is added
		this.datapath.clear();
		count(entry(CLIENT, 8080, false, false), 9_000);
		count(entry(ATTACKER, 0, false, true), 296);
		bytes.charge();
		assertThat(metric("web", "ingress", "forwarded")).isEqualTo(9_000);
		assertThat(metric("lock-out-attacker", "ingress", "dropped")).isEqualTo(296);

		// the entry was written anew (its counters restart at zero): what it holds is new
		this.datapath.clear();
		count(entry(CLIENT, 8080, false, false), 700);
		bytes.charge();
		assertThat(metric("web", "ingress", "forwarded")).isEqualTo(9_700);
	}

	@Test
	void aPolicyRemovedKeepsItsBytesAndPoliciesBeyondTheCapAreCountedAsOverTheLimit() {
		RuleBytes bytes = new RuleBytes(this.counters, this.registry, 1, null, RuleBytes.INTERVAL);
		new RuleHits(this.registry, 1);
		count(entry(CLIENT, 8080, false, false), 5_000);
		bytes.charge();
		count(entry(ATTACKER, 0, false, true), 296);
		bytes.charge();

		assertThat(new RuleHits(this.registry, 1).snapshot(List.of(), bytes))
			.containsExactly(new RuleHit("CiliumNetworkPolicy", "shop", "web", false, 0, 0, 0, 0, 5_000, 0, 0, 0));
		assertThat(this.registry.get("hubble.policy.rule.over.limit").counter().count()).isEqualTo(1);
	}

	private MapEntry entry(long peer, int port, boolean egress, boolean deny) {
		EndpointPolicy policy = this.engine.policy(WEB);
		return policy.entries()
			.stream()
			.filter((e) -> e.peer() == peer && e.port() == port && e.deny() == deny
					&& (e.direction() == io.jcilium.common.policy.model.Direction.EGRESS) == egress)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no entry for " + peer + "/" + port + " in " + policy.entries()));
	}

	private void count(MapEntry entry, long bytes) {
		this.datapath.add(new Count(1, entry, this.engine.policy(WEB).derivedFrom(entry), bytes / 60, bytes));
	}

	private List<PolicySource> sources() {
		return this.engine.rules().stream().map(PolicyRule::source).distinct().toList();
	}

	private double metric(String name, String direction, String action) {
		return this.registry.get("hubble.policy.rule.bytes")
			.tags("name", name, "direction", direction, "action", action)
			.functionCounter()
			.count();
	}

	private record Count(int endpointId, MapEntry entry, List<PolicySource> derivedFrom, long packets, long bytes) {
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
