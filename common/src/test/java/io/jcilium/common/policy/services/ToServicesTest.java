package io.jcilium.common.policy.services;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jcilium.common.label.Labels;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.policy.model.PeerRule;
import io.jcilium.common.policy.parse.PolicyParseException;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code toServices} from policy YAML to the identities it allows: a service with a
 * selector allows its backend pods' identities (in its namespace only), a service without
 * one its backend addresses, a term matching no service allows nothing, and a changed
 * service changes what is allowed.
 */
class ToServicesTest {

	private static final String BY_NAME = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: to-web, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: client}}
			  egress:
			    - toServices: [{k8sService: {serviceName: web, namespace: shop}}]
			""";

	private static final String BY_SELECTOR = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: to-external, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: client}}
			  egress:
			    - toServices: [{k8sServiceSelector: {selector: {matchLabels: {external: "yes"}}}}]
			      toPorts: [{ports: [{port: "5432", protocol: TCP}]}]
			""";

	private static final long CLIENT = 300;

	private static final long WEB = 301;

	private static final long WEB_ELSEWHERE = 302;

	private static final long BATCH = 303;

	private final PolicyParser parser = new PolicyParser();

	@Test
	void theParserKeepsTheTermsAndTheRuleSelectsNothingUntilResolved() {
		PolicyObject policy = this.parser.parse(BY_NAME).get(0);
		PeerRule rule = policy.rules().get(0).rules().get(0);
		assertThat(rule.toServices()).hasToString("[service shop/web]");
		assertThat(rule.peers()).as("unresolved: no peer, not any peer").isEmpty();
		assertThat(ToServices.uses(policy)).isTrue();
		assertThat(ToServices.uses(this.parser.parse(BY_NAME
			.replace("toServices: [{k8sService: " + "{serviceName: web, namespace: shop}}]", "toEntities: [world]"))
			.get(0))).isFalse();
	}

	@Test
	void aServiceWithASelectorAllowsItsBackendPodsInItsNamespaceOnly() {
		PolicyEngine engine = engine();
		PolicyObject raw = this.parser.parse(BY_NAME).get(0);
		engine.upsertPolicy(ToServices.resolve(raw, List.of()));
		assertThat(engine.policy(CLIENT).allows(Direction.EGRESS, WEB, Protocol.TCP.code(), 80))
			.as("no such service yet: fail closed")
			.isFalse();

		ClusterService web = new ClusterService("shop", "web", Map.of(), Map.of("app", "web"),
				List.of(Cidr.parse("10.0.0.9/32")));
		engine.upsertPolicy(ToServices.resolve(raw, List.of(web)));
		EndpointPolicy client = engine.policy(CLIENT);
		assertThat(client.allows(Direction.EGRESS, WEB, Protocol.TCP.code(), 80)).isTrue();
		assertThat(client.allows(Direction.EGRESS, WEB_ELSEWHERE, Protocol.TCP.code(), 80))
			.as("same labels in another namespace are not the service's backends")
			.isFalse();
		assertThat(client.allows(Direction.EGRESS, BATCH, Protocol.TCP.code(), 80)).isFalse();

		ClusterService moved = new ClusterService("shop", "web", Map.of(), Map.of("app", "batch"), List.of());
		engine.upsertPolicy(ToServices.resolve(raw, List.of(moved)));
		assertThat(engine.policy(CLIENT).allows(Direction.EGRESS, WEB, Protocol.TCP.code(), 80)).isFalse();
		assertThat(engine.policy(CLIENT).allows(Direction.EGRESS, BATCH, Protocol.TCP.code(), 80)).isTrue();
	}

	@Test
	void aServiceWithoutSelectorBecomesItsBackendAddressesAndLabelsSelectServices() {
		PolicyObject raw = this.parser.parse(BY_SELECTOR).get(0);
		ClusterService database = new ClusterService("db", "pg", Map.of("external", "yes"), Map.of(),
				List.of(Cidr.parse("192.0.2.10/32"), Cidr.parse("2001:db8::10/128")));
		ClusterService other = new ClusterService("db", "cache", Map.of("external", "no"), Map.of(),
				List.of(Cidr.parse("192.0.2.11/32")));
		PeerRule rule = ToServices.resolve(raw, List.of(other, database)).rules().get(0).rules().get(0);
		assertThat(rule.peers()).containsExactly(new Peer.CidrBlock(Cidr.parse("192.0.2.10/32"), List.of()),
				new Peer.CidrBlock(Cidr.parse("2001:db8::10/128"), List.of()));
		assertThat(rule.ports()).hasToString("[5432/TCP]");
		assertThat(ToServices.resolve(raw, List.of(other, database)))
			.as("resolving the same inputs gives equal rules, in any order")
			.isEqualTo(ToServices.resolve(raw, List.of(database, other)));
	}

	@Test
	void aTermWithoutNamespaceMatchesTheNameInEveryNamespaceAsUpstream() {
		PolicyObject raw = this.parser.parse(BY_NAME.replace(", namespace: shop}}]", "}}]")).get(0);
		ClusterService elsewhere = new ClusterService("other", "web", Map.of(), Map.of("app", "web"), List.of());
		PeerRule rule = ToServices.resolve(raw, List.of(elsewhere)).rules().get(0).rules().get(0);
		assertThat(rule.peers()).hasSize(1);
		assertThat(rule.peers().get(0).selects(identity(WEB_ELSEWHERE, "web", "other"))).isTrue();
	}

	@Test
	void malformedTermsAreRejectedNamingTheField() {
		assertThatThrownBy(() -> this.parser
			.parse(BY_NAME.replace("{k8sService: {serviceName: web, namespace: shop}}", "{namespace: shop}")))
			.isInstanceOf(PolicyParseException.class)
			.hasMessageContaining("toServices[0]")
			.hasMessageContaining("needs 'k8sService'");
		assertThatThrownBy(() -> this.parser.parse(BY_NAME.replace("serviceName: web, ", "")))
			.isInstanceOf(PolicyParseException.class)
			.hasMessageContaining("serviceName")
			.hasMessageContaining("is required");
		assertThatThrownBy(() -> this.parser.parse(BY_NAME.replace("egress:", "ingress:")
			.replace("toServices: [{k8sService: {serviceName: web, namespace: shop}}]",
					"fromServices: [{k8sService: {serviceName: web}}]")))
			.isInstanceOf(PolicyParseException.class)
			.hasMessageContaining("'fromServices' does not exist");
	}

	private static PolicyEngine engine() {
		PolicyEngine engine = new PolicyEngine();
		engine.upsertIdentity(identity(CLIENT, "client", "shop"));
		engine.upsertIdentity(identity(WEB, "web", "shop"));
		engine.upsertIdentity(identity(WEB_ELSEWHERE, "web", "other"));
		engine.upsertIdentity(identity(BATCH, "batch", "shop"));
		engine.upsertEndpoint(CLIENT, List.of());
		return engine;
	}

	private static Identity identity(long id, String app, String namespace) {
		return Identity.of(id, Labels.parse(List.of("k8s:app=" + app, "k8s:io.kubernetes.pod.namespace=" + namespace)));
	}

}
