package io.jcilium.common.policy.trace;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.parse.PolicyParseException;
import io.jcilium.common.policy.parse.PolicyParser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTracerTest {

	private static final String POLICY = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: lb}}]
			      toPorts: [{ports: [{port: "80", protocol: TCP}]}]
			  ingressDeny:
			    - fromEntities: [world]
			""";

	private final PolicyParser parser = new PolicyParser();

	private final Labels web = Labels.parse(List.of("k8s:app=web", "k8s:io.kubernetes.pod.namespace=shop"));

	private final Labels lb = Labels.parse(List.of("k8s:app=lb", "k8s:io.kubernetes.pod.namespace=shop"));

	@Test
	void tracesBetweenLabelSets() {
		PolicyEngine engine = new PolicyEngine();
		this.parser.parse(POLICY).forEach(engine::upsertPolicy);
		PolicyTracer tracer = new PolicyTracer(engine);
		TraceResult allowed = tracer.trace(this.lb, this.web, PortProtocol.parse("80/TCP"));
		assertThat(allowed.verdict()).isEqualTo(Verdict.ALLOWED);
		assertThat(allowed.ingress().rules()).singleElement().asString().startsWith("CiliumNetworkPolicy shop/web");
		assertThat(tracer.trace(this.lb, this.web, PortProtocol.parse("81/TCP")).verdict()).isEqualTo(Verdict.DENIED);
		TraceResult world = tracer.trace(Labels.parse(List.of("reserved:world")), this.web,
				PortProtocol.parse("80/TCP"));
		assertThat(world.verdict()).isEqualTo(Verdict.DENIED);
		assertThat(world.ingress().reason()).isEqualTo("denied by a deny rule");
		assertThat(world.egress()).isNull();
	}

	@Test
	void aRejectedPolicyLeavesThePolicyInForce() {
		PolicyEngine engine = new PolicyEngine();
		this.parser.parse(POLICY).forEach(engine::upsertPolicy);
		String broken = POLICY.replace("port: \"80\"", "port: \"80\", endPort: 79");
		assertThatThrownBy(() -> this.parser.parse(broken).forEach(engine::upsertPolicy))
			.isInstanceOf(PolicyParseException.class)
			.hasMessageContaining("spec.ingress[0].toPorts[0].ports[0].endPort");
		PolicyTracer tracer = new PolicyTracer(engine);
		assertThat(tracer.trace(this.lb, this.web, PortProtocol.parse("80/TCP")).verdict()).isEqualTo(Verdict.ALLOWED);
		assertThat(engine.rules()).hasSize(1);
	}

}
