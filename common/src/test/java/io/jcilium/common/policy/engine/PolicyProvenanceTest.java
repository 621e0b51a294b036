package io.jcilium.common.policy.engine;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.PolicySource;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every entry names the rules it is derived from, as upstream's {@code DerivedFromRules};
 * a rule going takes only its share, and the entry goes with the last rule deriving it.
 */
class PolicyProvenanceTest {

	// Two objects that both allow web <- lb on 8080/TCP, one of them twice (two selectors
	// of one rule select lb), and a third one allowing web <- lb on 9090/TCP only.
	private static final String POLICIES = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web-from-lb, namespace: shop, uid: 6f1c1d2e-0000-4000-8000-000000000001}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: lb}}, {matchLabels: {tier: edge}}]
			      toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
			---
			apiVersion: networking.k8s.io/v1
			kind: NetworkPolicy
			metadata: {name: web, namespace: shop, uid: 6f1c1d2e-0000-4000-8000-000000000002}
			spec:
			  podSelector: {matchLabels: {app: web}}
			  ingress:
			    - from: [{podSelector: {matchLabels: {app: lb}}}]
			      ports: [{port: 8080}]
			---
			apiVersion: cilium.io/v2
			kind: CiliumClusterwideNetworkPolicy
			metadata: {name: metrics}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: lb}}]
			      toPorts: [{ports: [{port: "9090", protocol: TCP}]}]
			""";

	private static final MapEntry LB_8080 = new MapEntry(301, Direction.INGRESS, 6, 8080, 16, false);

	private static final MapEntry LB_9090 = new MapEntry(301, Direction.INGRESS, 6, 9090, 16, false);

	private final List<PolicyObject> policies = new PolicyParser().parse(POLICIES);

	@Test
	void anEntryNamesEveryRuleDerivingItWithUpstreamsLabels() {
		PolicyEngine engine = engine();
		EndpointPolicy web = engine.policy(300);

		assertThat(web.derivedFrom(LB_8080)).extracting(PolicySource::labels)
			.containsExactly(
					List.of("k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy",
							"k8s:io.cilium.k8s.policy.name=web-from-lb", "k8s:io.cilium.k8s.policy.namespace=shop",
							"k8s:io.cilium.k8s.policy.uid=6f1c1d2e-0000-4000-8000-000000000001"),
					List.of("k8s:io.cilium.k8s.policy.derived-from=NetworkPolicy", "k8s:io.cilium.k8s.policy.name=web",
							"k8s:io.cilium.k8s.policy.namespace=shop",
							"k8s:io.cilium.k8s.policy.uid=6f1c1d2e-0000-4000-8000-000000000002"));
		assertThat(web.derivedFrom(LB_9090)).extracting(PolicySource::labels)
			.containsExactly(List.of("k8s:io.cilium.k8s.policy.derived-from=CiliumClusterwideNetworkPolicy",
					"k8s:io.cilium.k8s.policy.name=metrics"));
		MapEntry fromHost = new MapEntry(ReservedIdentity.HOST.id(), Direction.INGRESS, 0, 0, 0, false);
		assertThat(web.derivedFrom(fromHost)).extracting(PolicySource::labels)
			.containsExactly(List.of("reserved:io.cilium.policy.derived-from=allow-localhost-ingress"));
	}

	@Test
	void aRuleRemovedTakesOnlyItsShareAndTheLastOneTakesTheEntry() {
		PolicyEngine engine = engine();

		PolicyDelta withoutCnp = engine.removePolicy(this.policies.get(0).key());
		assertThat(withoutCnp.isEmpty()).as("the NetworkPolicy still derives every entry: no map change").isTrue();
		assertThat(engine.policy(300).derivedFrom(LB_8080)).extracting(PolicySource::name).containsExactly("web");

		PolicyDelta withoutNetpol = engine.removePolicy(this.policies.get(1).key());
		assertThat(withoutNetpol.changes()).singleElement()
			.satisfies((change) -> assertThat(change.removed()).containsExactly(LB_8080));
		assertThat(engine.policy(300).entries()).doesNotContain(LB_8080).contains(LB_9090);
		assertThat(engine.policy(300).derivedFrom(LB_8080)).isEmpty();
	}

	@Test
	void anIdentityGoingTakesItsEntriesOnlyWhenNoRuleDerivesThemThroughAnotherSelector() {
		PolicyEngine engine = engine();
		// lb also gets tier=edge: the CNP's second selector selects it too.
		engine.upsertIdentity(Identity.of(301,
				Labels.parse(List.of("k8s:app=lb", "k8s:tier=edge", "k8s:io.kubernetes.pod.namespace=shop"))));
		assertThat(engine.policy(300).derivedFrom(LB_8080)).extracting(PolicySource::name)
			.containsExactly("web-from-lb", "web");
		engine.removePolicy(this.policies.get(1).key());

		// lb loses tier=edge: one of the CNP's two derivations goes, the entry stays.
		PolicyDelta lostEdge = engine.upsertIdentity(pod(301, "lb"));
		assertThat(lostEdge.changes()).allSatisfy((change) -> assertThat(change.removed()).doesNotContain(LB_8080));
		assertThat(engine.policy(300).derivedFrom(LB_8080)).extracting(PolicySource::name)
			.containsExactly("web-from-lb");

		PolicyDelta gone = engine.removeIdentity(301);
		assertThat(gone.changes()).singleElement()
			.satisfies((change) -> assertThat(change.removed()).containsExactlyInAnyOrder(LB_8080, LB_9090));
	}

	@Test
	void incrementalProvenanceEqualsAFullRecompute() {
		Random random = new Random(7);
		PolicyEngine engine = engine();
		String[] apps = { "web", "lb", "db" };
		for (int step = 0; step < 400; step++) {
			int action = random.nextInt(10);
			long id = 500 + random.nextInt(20);
			if (action < 5) {
				List<String> labels = (random.nextBoolean())
						? List.of("k8s:app=" + apps[random.nextInt(3)], "k8s:io.kubernetes.pod.namespace=shop")
						: List.of("k8s:app=" + apps[random.nextInt(3)], "k8s:tier=edge",
								"k8s:io.kubernetes.pod.namespace=shop");
				engine.upsertIdentity(Identity.of(id, Labels.parse(labels)));
			}
			else if (action < 7) {
				engine.removeIdentity(id);
			}
			else if (action < 9) {
				engine.removePolicy(this.policies.get(random.nextInt(3)).key());
			}
			else {
				engine.upsertPolicy(this.policies.get(random.nextInt(3)));
			}
			if (step % 20 == 19) {
				Map<Long, EndpointPolicy> incremental = engine.policies();
				assertThat(engine.computeAll()).as("after step %d", step).isEqualTo(incremental);
			}
		}
	}

	private PolicyEngine engine() {
		PolicyEngine engine = new PolicyEngine();
		engine.upsertIdentity(pod(300, "web"));
		engine.upsertIdentity(pod(301, "lb"));
		engine.upsertEndpoint(300, List.of());
		this.policies.forEach(engine::upsertPolicy);
		return engine;
	}

	private static Identity pod(long id, String app) {
		return Identity.of(id, Labels.parse(List.of("k8s:app=" + app, "k8s:io.kubernetes.pod.namespace=shop")));
	}

}
