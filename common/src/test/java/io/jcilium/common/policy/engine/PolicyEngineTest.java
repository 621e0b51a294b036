package io.jcilium.common.policy.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.jcilium.common.label.Labels;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyEngineTest {

	private static final String POLICIES = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: lb}}]
			      toPorts: [{ports: [{port: "8080", endPort: 8083, protocol: TCP}]}]
			  egressDeny:
			    - toEndpoints: [{matchLabels: {app: db, io.kubernetes.pod.namespace: vault}}]
			---
			apiVersion: networking.k8s.io/v1
			kind: NetworkPolicy
			metadata: {name: db, namespace: shop}
			spec:
			  podSelector: {matchLabels: {app: db}}
			  ingress:
			    - from: [{podSelector: {matchLabels: {app: web}}}]
			      ports: [{port: 5432}]
			""";

	private final PolicyParser parser = new PolicyParser();

	@Test
	void computesEntriesWithRangesAsPrefixesAndDefaultDeny() {
		PolicyEngine engine = new PolicyEngine(EnforcementMode.DEFAULT, false);
		engine.upsertIdentity(pod(300, "shop", "web"));
		engine.upsertIdentity(pod(301, "shop", "lb"));
		engine.upsertEndpoint(300, List.of());
		this.parser.parse(POLICIES).forEach(engine::upsertPolicy);
		EndpointPolicy web = engine.policy(300);
		assertThat(web.ingressEnforced()).isTrue();
		assertThat(web.egressEnforced()).isTrue();
		assertThat(web.entries()).containsExactly(new MapEntry(301, Direction.INGRESS, 6, 8080, 14, false));
		assertThat(web.allows(Direction.INGRESS, 301, Protocol.TCP.code(), 8083)).isTrue();
		assertThat(web.allows(Direction.INGRESS, 301, Protocol.TCP.code(), 8084)).isFalse();
		assertThat(web.allows(Direction.EGRESS, 301, Protocol.TCP.code(), 80)).isFalse();
	}

	@Test
	void anIdentityNoSelectorSelectsChangesNothing() {
		PolicyEngine engine = engineWithEndpoints();
		assertThat(engine.upsertIdentity(Identity.of(999, Labels.parse(List.of("k8s:app=other")))).isEmpty()).isTrue();
	}

	@Test
	void aNewPeerIdentityYieldsOnlyItsEntries() {
		PolicyEngine engine = engineWithEndpoints();
		PolicyDelta delta = engine.upsertIdentity(pod(400, "shop", "lb"));
		assertThat(delta.changes()).hasSize(1);
		assertThat(delta.changes().get(0).identity()).isEqualTo(300);
		assertThat(delta.changes().get(0).added())
			.containsExactly(new MapEntry(400, Direction.INGRESS, 6, 8080, 14, false));
		assertThat(delta.changes().get(0).removed()).isEmpty();
		PolicyDelta removal = engine.removeIdentity(400);
		assertThat(removal.changes().get(0).removed())
			.containsExactly(new MapEntry(400, Direction.INGRESS, 6, 8080, 14, false));
	}

	@Test
	void removingAPolicyRemovesItsEntriesAndEnforcement() {
		PolicyEngine engine = engineWithEndpoints();
		PolicyDelta delta = engine.removePolicy("NetworkPolicy/shop/db");
		assertThat(delta.changes()).hasSize(1);
		PolicyDelta.EndpointChange change = delta.changes().get(0);
		assertThat(change.identity()).isEqualTo(302);
		assertThat(change.ingressEnforced()).isFalse();
		assertThat(change.added()).isEmpty();
		assertThat(change.removed()).containsExactly(new MapEntry(1, Direction.INGRESS, 0, 0, 0, false),
				new MapEntry(300, Direction.INGRESS, 6, 5432, 16, false));
	}

	@Test
	void egressNamedPortsFollowTheEndpointsThatDeclareThem() {
		PolicyEngine engine = new PolicyEngine();
		engine.upsertIdentity(pod(300, "shop", "web"));
		engine.upsertIdentity(pod(301, "shop", "db"));
		engine.upsertEndpoint(300, List.of());
		engine.upsertPolicy(this.parser.parse("""
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: to-pg, namespace: shop}
				spec:
				  endpointSelector: {matchLabels: {app: web}}
				  egress:
				    - toPorts: [{ports: [{port: postgres, protocol: TCP}]}]
				""").get(0));
		assertThat(engine.policy(300).entries()).isEmpty();
		PolicyDelta delta = engine.upsertEndpoint(301, List.of(new NamedPort("postgres", 5432, Protocol.TCP)));
		assertThat(delta.changes()).extracting(PolicyDelta.EndpointChange::identity).contains(300L);
		assertThat(engine.policy(300).entries()).containsExactly(new MapEntry(0, Direction.EGRESS, 6, 5432, 16, false));
		engine.removeEndpoint(301);
		assertThat(engine.policy(300).entries()).isEmpty();
	}

	@Test
	void incrementalDeltasAlwaysEqualAFullRecompute() {
		Random random = new Random(42);
		PolicyEngine engine = engineWithEndpoints();
		Map<Long, Set<MapEntry>> shadow = entriesOf(engine.policies());
		List<PolicyObject> policies = this.parser.parse(POLICIES);
		String[] apps = { "web", "lb", "db", "other" };
		String[] namespaces = { "shop", "vault" };
		for (int step = 0; step < 300; step++) {
			PolicyDelta delta;
			int action = random.nextInt(10);
			long id = 500 + random.nextInt(40);
			if (action < 6) {
				delta = engine.upsertIdentity(pod(id, namespaces[random.nextInt(2)], apps[random.nextInt(4)]));
			}
			else if (action < 8) {
				delta = engine.removeIdentity(id);
			}
			else if (action == 8) {
				delta = engine.removePolicy(policies.get(random.nextInt(2)).key());
			}
			else {
				delta = engine.upsertPolicy(policies.get(random.nextInt(2)));
			}
			apply(shadow, delta);
			assertThat(shadow).as("after step %d", step).isEqualTo(entriesOf(engine.policies()));
		}
		Map<Long, EndpointPolicy> incremental = engine.policies();
		assertThat(engine.computeAll()).isEqualTo(incremental);
	}

	private PolicyEngine engineWithEndpoints() {
		PolicyEngine engine = new PolicyEngine();
		engine.upsertIdentity(pod(300, "shop", "web"));
		engine.upsertIdentity(pod(301, "shop", "lb"));
		engine.upsertIdentity(pod(302, "shop", "db"));
		engine.upsertIdentity(pod(303, "vault", "db"));
		for (long id = 300; id <= 303; id++) {
			engine.upsertEndpoint(id, List.of());
		}
		this.parser.parse(POLICIES).forEach(engine::upsertPolicy);
		return engine;
	}

	private static Identity pod(long id, String namespace, String app) {
		return Identity.of(id, Labels.parse(List.of("k8s:app=" + app, "k8s:io.kubernetes.pod.namespace=" + namespace)));
	}

	private static Map<Long, Set<MapEntry>> entriesOf(Map<Long, EndpointPolicy> policies) {
		Map<Long, Set<MapEntry>> out = new TreeMap<>();
		policies.forEach((id, policy) -> out.put(id, new TreeSet<>(policy.entries())));
		return out;
	}

	private static void apply(Map<Long, Set<MapEntry>> shadow, PolicyDelta delta) {
		Map<Long, Set<MapEntry>> copy = new HashMap<>(shadow);
		for (PolicyDelta.EndpointChange change : delta.changes()) {
			Set<MapEntry> entries = copy.computeIfAbsent(change.identity(), (k) -> new TreeSet<>());
			assertThat(entries).as("removed entries existed").containsAll(change.removed());
			entries.removeAll(change.removed());
			for (MapEntry entry : change.added()) {
				assertThat(entries.add(entry)).as("added entry %s was new", entry).isTrue();
			}
		}
		shadow.clear();
		shadow.putAll(copy);
		new ArrayList<>(shadow.keySet()).forEach((k) -> shadow.putIfAbsent(k, new TreeSet<>()));
	}

}
