package io.jcilium.common.policy.trace;

import java.util.List;

import io.jcilium.common.policy.trace.OfflineTrace.Source;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OfflineTraceTest {

	private static final String PODS = """
			namespaces:
			  - {name: shop, labels: {team: blue}}
			pods:
			  - {namespace: shop, name: web, labels: {app: web}, ports: [{name: http, port: 8080}]}
			  - {namespace: shop, name: lb, labels: {app: lb}}
			externals:
			  - {name: internet, ip: 198.51.100.7}
			""";

	private static final String POLICY = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: lb}}]
			      toPorts: [{ports: [{port: http, protocol: TCP}]}]
			""";

	@Test
	void printsTheMatrixAndASummary() {
		List<String> lines = OfflineTrace.run(new Source("pods.yaml", PODS), List.of(new Source("web.yaml", POLICY)),
				PortProtocol.parseList("8080/TCP,8080/UDP"));
		assertThat(lines).containsExactly("shop/web shop/web 8080/TCP allowed", "shop/web shop/web 8080/UDP allowed",
				"shop/web shop/lb 8080/TCP allowed", "shop/web shop/lb 8080/UDP allowed",
				"shop/web internet 8080/TCP allowed", "shop/web internet 8080/UDP allowed",
				"shop/lb shop/web 8080/TCP allowed", "shop/lb shop/web 8080/UDP denied",
				"shop/lb shop/lb 8080/TCP allowed", "shop/lb shop/lb 8080/UDP allowed",
				"shop/lb internet 8080/TCP allowed", "shop/lb internet 8080/UDP allowed",
				"internet shop/web 8080/TCP denied", "internet shop/web 8080/UDP denied",
				"internet shop/lb 8080/TCP allowed", "internet shop/lb 8080/UDP allowed",
				"summary: 16 connections, 13 allowed, 3 denied");
	}

	@Test
	void traceExplainsTheDecidingRules() {
		ClusterModel model = ClusterModel.build(ClusterSpec.parse(PODS),
				new io.jcilium.common.policy.parse.PolicyParser().parse(POLICY), true);
		TraceResult allowed = model.trace("shop/lb", "shop/web", PortProtocol.parse("8080/TCP"));
		assertThat(allowed.verdict()).isEqualTo(Verdict.ALLOWED);
		assertThat(allowed.egress().reason()).contains("no rule enforces egress");
		assertThat(allowed.ingress().rules()).singleElement()
			.asString()
			.startsWith("CiliumNetworkPolicy shop/web: allow ingress");
		assertThat(allowed.explain()).last().asString().contains("replies of this connection are allowed");
		TraceResult denied = model.trace("internet", "shop/web", PortProtocol.parse("8080/TCP"));
		assertThat(denied.verdict()).isEqualTo(Verdict.DENIED);
		assertThat(denied.egress()).isNull();
		assertThat(denied.ingress().reason()).isEqualTo("default deny: no rule allows it");
		assertThat(denied.ingress().rules()).containsExactly("CiliumNetworkPolicy shop/web");
	}

	@Test
	void badInputNamesTheFile() {
		Source broken = new Source("broken.yaml", POLICY.replace("lb}", "lb, \"x y\": z}"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OfflineTrace.run(new Source("pods.yaml", PODS), List.of(broken),
					List.of(PortProtocol.parse("80/TCP"))))
			.withMessageStartingWith("broken.yaml: CiliumNetworkPolicy shop/web");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> OfflineTrace.run(new Source("pods2.yaml", "pods: [{name: a}]"), List.of(broken), List.of()))
			.withMessage("pods2.yaml: pods[0].namespace: is required");
		assertThatIllegalArgumentException().isThrownBy(() -> PortProtocol.parse("http/TCP"))
			.withMessageContaining("'http/TCP'");
		assertThatIllegalArgumentException().isThrownBy(() -> PortProtocol.parse("70000/TCP"))
			.withMessageContaining("out of range");
	}

}
