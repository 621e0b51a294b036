package io.jcilium.agent.policy;

import java.util.List;
import java.util.Map;

import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.model.PodLabels;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy repository as {@code cilium-dbg policy get} and {@code policy selectors}
 * read it: rules of every kind written back in the Cilium rule shape with their labels,
 * filtered by labels, and each peer selector with the rules using it and the identities
 * it selects, computed from real policy YAML.
 */
class PolicyRepositoryEndpointTest {

	private static final String POLICIES = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web, namespace: shop, uid: 11111111-2222-3333-4444-555555555555}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: client}}]
			      fromEntities: [host]
			      toPorts: [{ports: [{port: "8080", protocol: TCP}, {port: http, protocol: TCP}]}]
			  egressDeny:
			    - toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.1.0.0/16]}]
			---
			apiVersion: networking.k8s.io/v1
			kind: NetworkPolicy
			metadata: {name: db, namespace: shop}
			spec:
			  podSelector:
			    matchExpressions: [{key: tier, operator: In, values: [db, cache]}]
			  policyTypes: [Ingress]
			  ingress:
			    - from: [{podSelector: {matchLabels: {app: web}}}]
			      ports: [{port: 5432, endPort: 5440, protocol: TCP}]
			""";

	private final Jobs jobs = new Jobs("test", 1);

	private final AgentPolicy policy = new AgentPolicy(new PolicyEngine(), new SimpleMeterRegistry(), this.jobs,
			new PolicyInputSync(PolicyInputSync.DEFAULT_INPUT_WAIT_LIMIT), (endpointId, reason) -> {
			});

	private final PolicyRepositoryEndpoint endpoint = new PolicyRepositoryEndpoint(this.policy);

	@BeforeEach
	void load() {
		new PolicyParser().parse(POLICIES).forEach(this.policy::upsertPolicy);
		this.policy.upsertIdentity(Identity.of(1, Labels.parse(List.of("reserved:host"))));
		this.policy.upsertIdentity(Identity.of(2001, pod("client")));
		this.policy.upsertIdentity(Identity.of(2002, pod("other")));
		this.policy.attach(1, 1000, pod("web"), List.of(), new InMemoryPolicyMap());
	}

	@AfterEach
	void stop() {
		this.policy.close();
		this.jobs.close();
	}

	@Test
	void getWritesEveryRuleInTheCiliumShapeWithItsLabelsAndTheRevision() {
		WebEndpointResponse<Object> response = this.endpoint.rules(null);

		assertThat(response.getStatus()).isEqualTo(200);
		Map<?, ?> body = (Map<?, ?>) response.getBody();
		assertThat((Long) body.get("revision")).isPositive();
		assertThat(json(body.get("policy"))).isEqualTo(json(List.of(Map.of(
				// CiliumNetworkPolicy sorts before NetworkPolicy (by kind, then name);
				// the
				// NetworkPolicy's selectors carry the k8s: source, as upstream translates
				// them
				"endpointSelector",
				Map.of("matchLabels", Map.of("any:app", "web", "k8s:io.kubernetes.pod.namespace", "shop")), "ingress",
				List.of(Map.of("fromEndpoints",
						List.of(Map
							.of("matchLabels", Map.of("any:app", "client", "k8s:io.kubernetes.pod.namespace", "shop"))),
						"toPorts",
						List.of(Map.of("ports",
								List.of(Map.of("port", "8080", "protocol", "TCP"),
										Map.of("port", "http", "protocol", "TCP"))))),
						Map.of("fromEntities", List.of("host"), "toPorts",
								List.of(Map.of("ports",
										List.of(Map.of("port", "8080", "protocol", "TCP"),
												Map.of("port", "http", "protocol", "TCP")))))),
				"egressDeny",
				List.of(Map.of("toCIDRSet", List.of(Map.of("cidr", "10.0.0.0/8", "except", List.of("10.1.0.0/16"))))),
				"enableDefaultDeny", Map.of("ingress", true, "egress", true), "labels",
				List.of(label("derived-from", "CiliumNetworkPolicy"), label("name", "web"), label("namespace", "shop"),
						label("uid", "11111111-2222-3333-4444-555555555555"))),
				Map.of("endpointSelector",
						Map.of("matchLabels", Map.of("k8s:io.kubernetes.pod.namespace", "shop"), "matchExpressions",
								List.of(Map.of("key", "k8s:tier", "operator", "In", "values", List.of("cache", "db")))),
						"ingress",
						List.of(Map.of("fromEndpoints",
								List.of(Map.of("matchLabels",
										Map.of("k8s:app", "web", "k8s:io.kubernetes.pod.namespace", "shop"))),
								"toPorts",
								List.of(Map.of("ports",
										List.of(Map.of("port", "5432", "endPort", 5440, "protocol", "TCP")))))),
						"enableDefaultDeny", Map.of("ingress", true, "egress", false), "labels",
						List.of(label("derived-from", "NetworkPolicy"), label("name", "db"),
								label("namespace", "shop"))))));
	}

	@Test
	void aRuleThatSelectsNoPeerIsWrittenWithAnEmptyPeerListNotAsAnyPeer() {
		new PolicyParser().parse("""
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: none, namespace: shop}
				spec:
				  endpointSelector: {matchLabels: {app: web}}
				  ingress:
				    - fromEndpoints: []
				      toPorts: [{ports: [{port: "80", protocol: TCP}]}]
				  egress:
				    - toPorts: [{ports: [{port: "53", protocol: UDP}]}]
				""").forEach(this.policy::upsertPolicy);

		Map<?, ?> body = (Map<?, ?>) this.endpoint.rules("k8s:io.cilium.k8s.policy.name=none").getBody();

		Map<?, ?> rule = (Map<?, ?>) ((List<?>) body.get("policy")).get(0);
		assertThat(json(rule.get("ingress"))).isEqualTo(json(List.of(Map.of("fromEndpoints", List.of(), "toPorts",
				List.of(Map.of("ports", List.of(Map.of("port", "80", "protocol", "TCP"))))))));
		// an L4-only rule applies to every peer and names none
		assertThat(json(rule.get("egress"))).isEqualTo(json(List
			.of(Map.of("toPorts", List.of(Map.of("ports", List.of(Map.of("port", "53", "protocol", "UDP"))))))));
	}

	@Test
	void labelsNarrowTheRulesAndLabelsNoRuleCarriesAreANotFound() {
		Map<?, ?> body = (Map<?, ?>) this.endpoint
			.rules("k8s:io.cilium.k8s.policy.name=db k8s:io.cilium.k8s.policy.namespace=shop")
			.getBody();
		assertThat((List<?>) body.get("policy")).singleElement()
			.satisfies((rule) -> assertThat(json(rule)).contains("\"value\":\"NetworkPolicy\""));

		WebEndpointResponse<Object> none = this.endpoint.rules("k8s:io.cilium.k8s.policy.name=ghost");
		assertThat(none.getStatus()).isEqualTo(404);
		assertThat(message(none)).isEqualTo("no rule in force carries the labels k8s:io.cilium.k8s.policy.name=ghost");
	}

	@Test
	void aMalformedLabelIsABadRequestNamingIt() {
		WebEndpointResponse<Object> response = this.endpoint.rules("k8s:=x");

		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(message(response)).isNotBlank();
	}

	@Test
	void selectorsListWhatEachPeerSelectorSelectsNowAndWhichRulesUseIt() {
		WebEndpointResponse<Object> response = this.endpoint.part("selectors");

		assertThat(response.getStatus()).isEqualTo(200);
		List<?> rows = (List<?>) response.getBody();
		Map<?, ?> client = row(rows,
				"{\"matchLabels\":{\"any:app\":\"client\",\"k8s:io.kubernetes.pod.namespace\":\"shop\"}}");
		assertThat(client.get("identities")).isEqualTo(List.of(2001L));
		assertThat(client.get("users")).isEqualTo(1);
		assertThat(json(client.get("labels")))
			.isEqualTo(json(List.of(List.of(label("derived-from", "CiliumNetworkPolicy"), label("name", "web"),
					label("namespace", "shop"), label("uid", "11111111-2222-3333-4444-555555555555")))));
		assertThat(row(rows, "entity:host").get("identities")).isEqualTo(List.of(1L));
		assertThat(rows).extracting((r) -> ((Map<?, ?>) r).get("selector"))
			.as("sorted by selector, as upstream prints them")
			.isSortedAccordingTo((a, b) -> ((String) a).compareTo((String) b));
	}

	@Test
	void aNewIdentityShowsUpInTheSelectionsOfTheSelectorsThatSelectIt() {
		this.policy.upsertIdentity(Identity.of(2003, pod("client")));

		Map<?, ?> client = row((List<?>) this.endpoint.part("selectors").getBody(),
				"{\"matchLabels\":{\"any:app\":\"client\",\"k8s:io.kubernetes.pod.namespace\":\"shop\"}}");
		assertThat(client.get("identities")).isEqualTo(List.of(2001L, 2003L));
	}

	@Test
	void anUnknownPartIsANotFound() {
		WebEndpointResponse<Object> response = this.endpoint.part("selector");

		assertThat(response.getStatus()).isEqualTo(404);
		assertThat(message(response)).contains("/actuator/policy/selectors");
	}

	private static Map<?, ?> row(List<?> rows, String selector) {
		return rows.stream()
			.map(Map.class::cast)
			.filter((row) -> selector.equals(row.get("selector")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no selector " + selector + " in " + rows));
	}

	private static Map<String, String> label(String key, String value) {
		return Map.of("key", "io.cilium.k8s.policy." + key, "value", value, "source", "k8s");
	}

	private static Labels pod(String app) {
		return PodLabels.of("shop", Map.of(), Map.of("app", app), "default", "default");
	}

	// Compared as JSON text with sorted keys: the maps' own order does not matter here.
	private static String json(Object value) {
		try {
			return JsonMapper.builder()
				.enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
				.build()
				.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String message(WebEndpointResponse<Object> response) {
		return (String) ((Map<?, ?>) response.getBody()).get("message");
	}

}
