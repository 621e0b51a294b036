package io.jcilium.agent.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.jcilium.agent.endpoint.PodMetadata;
import io.jcilium.common.policy.engine.NamedPort;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.PodLabels;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.net.Protocol;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live policy trace answers from the rules the agent enforces, pods resolved to the
 * labels their identity carries (named ports included), and names the rules that decide;
 * bad or unknown inputs are a 400 or 404 that says what is wrong.
 */
class PolicyTraceEndpointTest {

	private static final String POLICIES = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: client}}]
			      toPorts: [{ports: [{port: http, protocol: TCP}]}]
			""";

	private final Jobs jobs = new Jobs("test", 1);

	private final AgentPolicy policy = new AgentPolicy(new PolicyEngine(), new SimpleMeterRegistry(), this.jobs,
			new PolicyInputSync(PolicyInputSync.DEFAULT_INPUT_WAIT_LIMIT), (endpointId, reason) -> {
			});

	private final PolicyTraceEndpoint endpoint = new PolicyTraceEndpoint(this.policy,
			(namespace, name) -> switch (name) {
				case "web" ->
					Optional.of(pod(namespace, name, "web", List.of(new NamedPort("http", 8080, Protocol.TCP))));
				case "client", "other" -> Optional.of(pod(namespace, name, name, List.of()));
				case "unreadable" -> throw new IllegalStateException(
						"cannot read pod shop/unreadable from the API server: connection refused");
				default -> Optional.empty();
			});

	@AfterEach
	void stop() {
		this.policy.close();
		this.jobs.close();
	}

	@Test
	void allowsWhatARuleAllowsThroughTheDestinationsNamedPortAndNamesTheRule() {
		new PolicyParser().parse(POLICIES).forEach(this.policy::upsertPolicy);

		WebEndpointResponse<Object> response = this.endpoint.trace("shop:client", "shop:web", null, null, "8080/TCP");

		assertThat(response.getStatus()).isEqualTo(200);
		Map<?, ?> body = (Map<?, ?>) response.getBody();
		assertThat(body.get("verdict")).isEqualTo("ALLOWED");
		assertThat(body.get("port")).isEqualTo("8080/TCP");
		assertThat(body.get("to").toString()).contains("k8s:app=web", "k8s:io.kubernetes.pod.namespace=shop");
		Map<?, ?> ingress = (Map<?, ?>) body.get("ingress");
		assertThat(ingress.get("enforced")).isEqualTo(true);
		assertThat((List<?>) ingress.get("rules")).singleElement().asString().contains("shop/web");
	}

	@Test
	void deniesAnotherPodOrAnotherPortByDefaultDeny() {
		new PolicyParser().parse(POLICIES).forEach(this.policy::upsertPolicy);

		Map<?, ?> otherPod = (Map<?, ?>) this.endpoint.trace("shop:other", "shop:web", null, null, "8080/TCP")
			.getBody();
		Map<?, ?> otherPort = (Map<?, ?>) this.endpoint.trace("shop:client", "shop:web", null, null, "9090/TCP")
			.getBody();

		assertThat(otherPod.get("verdict")).isEqualTo("DENIED");
		assertThat(((Map<?, ?>) otherPod.get("ingress")).get("reason")).isEqualTo("default deny: no rule allows it");
		assertThat(otherPort.get("verdict")).isEqualTo("DENIED");
	}

	@Test
	void withoutPoliciesEverythingIsAllowedAndALabelSetCanStandForAPeer() {
		Map<?, ?> body = (Map<?, ?>) this.endpoint.trace(null, "shop:web", "reserved:world", null, "80/TCP").getBody();

		assertThat(body.get("verdict")).isEqualTo("ALLOWED");
		assertThat(body.get("egress")).as("world is no endpoint: no egress side").isNull();
		assertThat(((Map<?, ?>) body.get("ingress")).get("enforced")).isEqualTo(false);
	}

	@Test
	void badInputIsABadRequestAndAnUnknownPodANotFound() {
		assertThat(this.endpoint.trace("shop", "shop:web", null, null, "80/TCP").getStatus()).isEqualTo(400);
		assertThat(message(this.endpoint.trace("shop", "shop:web", null, null, "80/TCP")))
			.isEqualTo("srcPod 'shop' is not namespace:pod");
		assertThat(message(this.endpoint.trace(null, "shop:web", null, null, "80/TCP")))
			.isEqualTo("give the src side as either srcPod=namespace:pod or srcLabels=LABELS");
		assertThat(message(this.endpoint.trace("shop:client", "shop:web", null, null, "http")))
			.isEqualTo("'http' is not a port/protocol such as 80/TCP");
		WebEndpointResponse<Object> missing = this.endpoint.trace("shop:client", "shop:ghost", null, null, "80/TCP");
		assertThat(missing.getStatus()).isEqualTo(404);
		assertThat(message(missing)).isEqualTo("no pod shop/ghost");
	}

	@Test
	void aPodThatCannotBeReadIsServiceUnavailableSayingWhy() {
		WebEndpointResponse<Object> response = this.endpoint.trace("shop:client", "shop:unreadable", null, null,
				"80/TCP");

		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(message(response))
			.isEqualTo("cannot read pod shop/unreadable from the API server: connection refused");
	}

	private static String message(WebEndpointResponse<Object> response) {
		return (String) ((Map<?, ?>) response.getBody()).get("message");
	}

	private static PodMetadata pod(String namespace, String name, String app, List<NamedPort> ports) {
		return new PodMetadata(namespace, name,
				PodLabels.of(namespace, Map.of(), Map.of("app", app), "default", "default"), ports);
	}

}
