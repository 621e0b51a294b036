package io.jcilium.agent.policy;

import java.util.List;

import io.jcilium.agent.endpoint.EndpointStatus;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint policy view shows each entry of an endpoint's policy with the labels of
 * the rules it is derived from, as JSON the way actuator writes it, and says why when
 * there is nothing to show.
 */
class EndpointPolicyEndpointTest {

	// Two objects allow the same traffic: the entry names both.
	private static final String POLICIES = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web, namespace: shop, uid: 0b7c5a4e-1111-4a7e-9c1d-2f9e8d7c6b5a}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: client}}]
			      toPorts: [{ports: [{port: "8080", endPort: 8083, protocol: TCP}]}]
			---
			apiVersion: networking.k8s.io/v1
			kind: NetworkPolicy
			metadata: {name: web-legacy, namespace: shop}
			spec:
			  podSelector: {matchLabels: {app: web}}
			  ingress:
			    - from: [{podSelector: {matchLabels: {app: client}}}]
			      ports: [{port: 8080, endPort: 8083}]
			""";

	private final Jobs jobs = new Jobs("test", 1);

	private final AgentPolicy policy = new AgentPolicy(new PolicyEngine(), new SimpleMeterRegistry(), this.jobs,
			new PolicyInputSync(PolicyInputSync.DEFAULT_INPUT_WAIT_LIMIT), (endpointId, reason) -> {
			});

	private final EndpointPolicyEndpoint endpoint = new EndpointPolicyEndpoint(
			() -> List.of(status(7, 1000, "ready"), status(8, 0, "waiting-for-identity")), this.policy::policy,
			PolicyMapContents.NONE);

	@AfterEach
	void close() {
		this.policy.close();
		this.jobs.close();
	}

	@Test
	void showsEveryEntryWithTheLabelsOfTheRulesDerivingIt() {
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		new PolicyParser().parse(POLICIES).forEach(this.policy::upsertPolicy);
		this.policy.attach(7, 1000, labels("web"), List.of(), new InMemoryPolicyMap());

		WebEndpointResponse<Object> response = this.endpoint.policy(7);

		assertThat(response.getStatus()).isEqualTo(200);
		JsonNode view = new JsonMapper().valueToTree(response.getBody());
		assertThat(view.path("pod").asText()).isEqualTo("shop/web-0");
		assertThat(view.path("identity").asLong()).isEqualTo(1000);
		assertThat(view.path("ingressEnforced").asBoolean()).isTrue();
		JsonNode fromClient = entry(view, 1001);
		assertThat(fromClient.path("verdict").asText()).isEqualTo("allow");
		assertThat(fromClient.path("direction").asText()).isEqualTo("ingress");
		assertThat(fromClient.path("protocol").asText()).isEqualTo("TCP");
		assertThat(fromClient.path("ports").asText()).isEqualTo("8080-8083");
		assertThat(fromClient.path("prefix").asInt()).as("8080-8083 is one prefix of 14 port bits").isEqualTo(22);
		assertThat(fromClient.path("packets").isNull()).as("no datapath, nothing counted").isTrue();
		assertThat(view.path("source").asText()).isEqualTo("policy-engine");
		assertThat(fromClient.path("derivedFrom").toString()).isEqualTo("[[" //
				+ "\"k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy\","
				+ "\"k8s:io.cilium.k8s.policy.name=web\",\"k8s:io.cilium.k8s.policy.namespace=shop\","
				+ "\"k8s:io.cilium.k8s.policy.uid=0b7c5a4e-1111-4a7e-9c1d-2f9e8d7c6b5a\"],["
				+ "\"k8s:io.cilium.k8s.policy.derived-from=NetworkPolicy\","
				+ "\"k8s:io.cilium.k8s.policy.name=web-legacy\",\"k8s:io.cilium.k8s.policy.namespace=shop\"]]");
		// Reserved identity 1 is the host: allow-localhost's entry says so.
		assertThat(entry(view, 1).path("derivedFrom").toString())
			.isEqualTo("[[\"reserved:io.cilium.policy.derived-from=allow-localhost-ingress\"]]");
	}

	@Test
	void withADatapathEveryKeyOfThePinnedMapIsShownWithTheKernelsVerdictProxyPortAndCounters() {
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		new PolicyParser().parse(POLICIES).forEach(this.policy::upsertPolicy);
		this.policy.attach(7, 1000, labels("web"), List.of(), new InMemoryPolicyMap());
		MapEntry written = this.policy.policy(1000)
			.entries()
			.stream()
			.filter((entry) -> entry.peer() == 1001)
			.findFirst()
			.orElseThrow();
		// What the kernel holds: the engine's entry with a proxy port and counters, and a
		// key the engine has no entry for (a deny on UDP 53 to any peer).
		PolicyMapContents kernel = (endpointId, visitor) -> {
			if (endpointId != 7) {
				return false;
			}
			visitor.entry(0, true, 17, 53, 24, true, 0, 3, 180, null);
			visitor.entry(1001, false, 6, 8080, 22, false, 15001, 12, 3400, written);
			return true;
		};
		EndpointPolicyEndpoint withDatapath = new EndpointPolicyEndpoint(() -> List.of(status(7, 1000, "ready")),
				this.policy::policy, kernel);

		JsonNode view = new JsonMapper().valueToTree(withDatapath.policy(7).getBody());

		assertThat(view.path("source").asText()).isEqualTo("datapath");
		assertThat(view.path("entries")).as("the map's keys, not the engine's entries").hasSize(2);
		JsonNode fromClient = view.path("entries").get(0);
		assertThat(fromClient.path("peer").asLong()).isEqualTo(1001);
		assertThat(fromClient.path("ports").asText()).isEqualTo("8080-8083");
		assertThat(fromClient.path("proxyPort").asInt()).isEqualTo(15001);
		assertThat(fromClient.path("prefix").asInt()).isEqualTo(22);
		assertThat(fromClient.path("packets").asLong()).isEqualTo(12);
		assertThat(fromClient.path("bytes").asLong()).isEqualTo(3400);
		assertThat(fromClient.path("derivedFrom")).hasSize(2);
		JsonNode dns = view.path("entries").get(1);
		assertThat(dns.path("verdict").asText()).isEqualTo("deny");
		assertThat(dns.path("direction").asText()).isEqualTo("egress");
		assertThat(dns.path("peer").asLong()).isZero();
		assertThat(dns.path("protocol").asText()).isEqualTo("UDP");
		assertThat(dns.path("ports").asText()).isEqualTo("53");
		assertThat(dns.path("bytes").asLong()).isEqualTo(180);
		assertThat(dns.path("derivedFrom")).isEmpty();
	}

	@Test
	void anUnknownEndpointOrOneWithoutPolicyIsNotFoundSayingWhy() {
		WebEndpointResponse<Object> unknown = this.endpoint.policy(9);
		assertThat(unknown.getStatus()).isEqualTo(404);
		assertThat(unknown.getBody()).hasToString(
				"{message=no endpoint 9 on this node; GET /v1/endpoint on the " + "agent socket lists the endpoints}");

		WebEndpointResponse<Object> waiting = this.endpoint.policy(8);
		assertThat(waiting.getStatus()).isEqualTo(404);
		assertThat(String.valueOf(waiting.getBody())).contains("endpoint 8 has no policy computed yet")
			.contains("waiting-for-identity");
	}

	@Test
	void listsEveryEndpointWithItsEnforcementAndNoneWhileItsPolicyIsNotComputed() {
		new PolicyParser().parse(POLICIES).forEach(this.policy::upsertPolicy);
		this.policy.attach(7, 1000, labels("web"), List.of(), new InMemoryPolicyMap());

		JsonNode list = new JsonMapper().valueToTree(this.endpoint.endpoints());

		assertThat(list).hasSize(2);
		JsonNode web = list.get(0);
		assertThat(web.path("endpointId").asInt()).isEqualTo(7);
		assertThat(web.path("podNamespace").asText()).isEqualTo("shop");
		assertThat(web.path("podName").asText()).isEqualTo("web-0");
		assertThat(web.path("ipv4").asText()).isEqualTo("10.0.1.7");
		assertThat(web.path("identity").asLong()).isEqualTo(1000);
		assertThat(web.path("state").asText()).isEqualTo("ready");
		// A policy selects the pod for ingress only: egress stays open, as upstream's
		// default mode.
		assertThat(web.path("ingressEnforced").asBoolean()).isTrue();
		assertThat(web.path("egressEnforced").asBoolean()).isFalse();
		JsonNode waiting = list.get(1);
		assertThat(waiting.path("endpointId").asInt()).isEqualTo(8);
		assertThat(waiting.path("state").asText()).isEqualTo("waiting-for-identity");
		assertThat(waiting.path("ingressEnforced").isNull()).isTrue();
		assertThat(waiting.path("egressEnforced").isNull()).isTrue();
	}

	private static JsonNode entry(JsonNode view, long peer) {
		for (JsonNode entry : view.path("entries")) {
			if (entry.path("peer").asLong() == peer) {
				return entry;
			}
		}
		throw new AssertionError("no entry for peer " + peer + " in " + view);
	}

	private static EndpointStatus status(int id, long identity, String state) {
		return new EndpointStatus(id, "c" + id, "eth0", "lxc" + id, 10 + id, "shop", "web-0", "10.0.1." + id, identity,
				state, null);
	}

	private static Labels labels(String app) {
		return Labels.parse(List.of("k8s:app=" + app, "k8s:io.kubernetes.pod.namespace=shop"));
	}

}
