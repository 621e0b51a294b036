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

	private static final String PODS_WITH_SERVICES = """
			pods:
			  - {namespace: shop, name: client, labels: {app: client}}
			  - {namespace: shop, name: web, labels: {app: web}}
			  - {namespace: shop, name: cache, labels: {app: cache}}
			  - {namespace: batch, name: web, labels: {app: web}}
			externals:
			  - {name: db, ip: 192.0.2.10}
			  - {name: elsewhere, ip: 192.0.2.11}
			services:
			  - {namespace: shop, name: web, selector: {app: web}}
			  - {namespace: shop, name: db, labels: {external: "yes"}, endpoints: [192.0.2.10]}
			""";

	private static final String TO_SERVICES = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: client, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: client}}
			  egress:
			    - toServices: [{k8sService: {serviceName: web, namespace: shop}}]
			    - toServices: [{k8sServiceSelector: {selector: {matchLabels: {external: "yes"}}}}]
			      toPorts: [{ports: [{port: "5432", protocol: TCP}]}]
			""";

	@Test
	void toServicesResolvesAgainstTheServicesOfThePodsFile() {
		List<String> lines = OfflineTrace.run(new Source("pods.yaml", PODS_WITH_SERVICES),
				List.of(new Source("client.yaml", TO_SERVICES)), PortProtocol.parseList("80/TCP,5432/TCP"));
		assertThat(lines.stream().filter((line) -> line.startsWith("shop/client ")).toList()).containsExactly(
				"shop/client shop/client 80/TCP allowed", "shop/client shop/client 5432/TCP allowed",
				// the service's selector, in its own namespace only
				"shop/client shop/web 80/TCP allowed", "shop/client shop/web 5432/TCP allowed",
				"shop/client shop/cache 80/TCP denied", "shop/client shop/cache 5432/TCP denied",
				"shop/client batch/web 80/TCP denied", "shop/client batch/web 5432/TCP denied",
				// no selector: its endpoints' addresses, on the rule's port
				"shop/client db 80/TCP denied", "shop/client db 5432/TCP allowed",
				"shop/client elsewhere 80/TCP denied", "shop/client elsewhere 5432/TCP denied");
	}

	@Test
	void toServicesNamingNoServiceOfThePodsFileAllowsNothing() {
		String noServices = PODS_WITH_SERVICES.substring(0, PODS_WITH_SERVICES.indexOf("services:"));
		List<String> lines = OfflineTrace.run(new Source("pods.yaml", noServices),
				List.of(new Source("client.yaml", TO_SERVICES)), PortProtocol.parseList("5432/TCP"));
		assertThat(lines.stream().filter((line) -> line.startsWith("shop/client ")).toList()).containsExactly(
				"shop/client shop/client 5432/TCP allowed", "shop/client shop/web 5432/TCP denied",
				"shop/client shop/cache 5432/TCP denied", "shop/client batch/web 5432/TCP denied",
				"shop/client db 5432/TCP denied", "shop/client elsewhere 5432/TCP denied");
	}

	@Test
	void aBadServiceIsNamedWithItsField() {
		List<Source> policy = List.of(new Source("client.yaml", TO_SERVICES));
		List<PortProtocol> ports = PortProtocol.parseList("80/TCP");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OfflineTrace.run(new Source("p.yaml", "services: [{namespace: shop}]"), policy, ports))
			.withMessage("p.yaml: services[0].name: is required");
		assertThatIllegalArgumentException().isThrownBy(() -> OfflineTrace.run(
				new Source("p.yaml", "services: [{namespace: shop, name: db, endpoints: [db.example]}]"), policy,
				ports))
			.withMessage("p.yaml: services[0].endpoints[0]: 'db.example' is not an IP address");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OfflineTrace.run(
					new Source("p.yaml",
							"services: [{namespace: shop, name: db, selector: {app: db}, endpoints: [192.0.2.1]}]"),
					policy, ports))
			.withMessageStartingWith("p.yaml: services[0]: give 'selector' or 'endpoints', not both");
	}

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
