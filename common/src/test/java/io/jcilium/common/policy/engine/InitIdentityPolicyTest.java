package io.jcilium.common.policy.engine;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.trace.PolicyTracer;
import io.jcilium.common.policy.trace.TraceResult;
import io.jcilium.common.policy.trace.Verdict;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An endpoint whose labels are not known yet carries upstream's {@code reserved:init}
 * identity (5) and is enforced in both directions whatever the rules say, except in mode
 * {@code never}; rules selecting {@code reserved:init} still allow what they allow. The
 * computed map entries and the offline trace agree.
 */
class InitIdentityPolicyTest {

	private static final long INIT = ReservedIdentity.INIT.id();

	private static final long PEER = 300;

	private static final Identity PEER_POD = Identity.of(PEER,
			Labels.parse(List.of("k8s:app=peer", "k8s:io.kubernetes.pod.namespace=shop")));

	/** Lets endpoints held at init resolve names: egress to kube-dns on UDP 53. */
	private static final String INIT_DNS = """
			apiVersion: cilium.io/v2
			kind: CiliumClusterwideNetworkPolicy
			metadata: {name: init-dns}
			spec:
			  endpointSelector: {matchLabels: {"reserved:init": ""}}
			  egress:
			    - toEndpoints: [{matchLabels: {app: peer}}]
			      toPorts: [{ports: [{port: "53", protocol: UDP}]}]
			""";

	private final PolicyParser parser = new PolicyParser();

	@Test
	void anEndpointAtInitIsDefaultDenyBothWaysWithoutAnyRule() {
		PolicyEngine engine = engine(EnforcementMode.DEFAULT, false);
		EndpointPolicy init = engine.policy(INIT);
		assertThat(init.ingressEnforced()).isTrue();
		assertThat(init.egressEnforced()).isTrue();
		assertThat(init.entries()).as("nothing allowed: an empty map drops every packet").isEmpty();
		assertThat(init.allows(Direction.EGRESS, PEER, Protocol.TCP.code(), 80)).isFalse();
		assertThat(init.allows(Direction.INGRESS, PEER, Protocol.ICMP.code(), 8)).isFalse();
		engine.upsertEndpoint(PEER, List.of());
		assertThat(engine.policy(PEER).ingressEnforced()).as("the peer is selected by nothing").isFalse();

		PolicyTracer tracer = new PolicyTracer(engine);
		TraceResult out = tracer.trace(Identity.reserved(ReservedIdentity.INIT), PEER_POD, List.of(), Protocol.TCP, 80);
		assertThat(out.verdict()).isEqualTo(Verdict.DENIED);
		assertThat(out.egress().reason()).contains("reserved:init");
		TraceResult in = tracer.trace(PEER_POD, Identity.reserved(ReservedIdentity.INIT), List.of(), Protocol.TCP, 80);
		assertThat(in.verdict()).isEqualTo(Verdict.DENIED);
		assertThat(in.ingress().enforced()).isTrue();
	}

	@Test
	void rulesSelectingInitStillAllowWhatTheyAllow() {
		PolicyEngine engine = engine(EnforcementMode.DEFAULT, false);
		this.parser.parse(INIT_DNS).forEach(engine::upsertPolicy);
		EndpointPolicy init = engine.policy(INIT);
		assertThat(init.allows(Direction.EGRESS, PEER, Protocol.UDP.code(), 53)).isTrue();
		assertThat(init.allows(Direction.EGRESS, PEER, Protocol.UDP.code(), 54)).isFalse();
		assertThat(init.allows(Direction.INGRESS, PEER, Protocol.UDP.code(), 53))
			.as("the rule has no ingress section, ingress stays default deny")
			.isFalse();

		PolicyTracer tracer = new PolicyTracer(engine);
		Identity initId = Identity.reserved(ReservedIdentity.INIT);
		assertThat(tracer.trace(initId, PEER_POD, List.of(), Protocol.UDP, 53).verdict()).isEqualTo(Verdict.ALLOWED);
		assertThat(tracer.trace(initId, PEER_POD, List.of(), Protocol.UDP, 54).verdict()).isEqualTo(Verdict.DENIED);
		assertThat(tracer.trace(PEER_POD, initId, List.of(), Protocol.UDP, 53).verdict()).isEqualTo(Verdict.DENIED);
	}

	@Test
	void theLocalHostReachesAnEndpointAtInitAsItReachesAnyDefaultDenyEndpoint() {
		PolicyEngine engine = engine(EnforcementMode.DEFAULT, true);
		EndpointPolicy init = engine.policy(INIT);
		assertThat(init.allows(Direction.INGRESS, ReservedIdentity.HOST.id(), Protocol.TCP.code(), 8080)).isTrue();
		assertThat(init.allows(Direction.EGRESS, ReservedIdentity.HOST.id(), Protocol.TCP.code(), 8080)).isFalse();
		PolicyTracer tracer = new PolicyTracer(engine);
		assertThat(tracer
			.trace(Identity.reserved(ReservedIdentity.HOST), Identity.reserved(ReservedIdentity.INIT), List.of(),
					Protocol.TCP, 8080)
			.verdict()).isEqualTo(Verdict.ALLOWED);
	}

	@Test
	void modeNeverLetsAnEndpointAtInitThrough() {
		PolicyEngine engine = engine(EnforcementMode.NEVER, false);
		EndpointPolicy init = engine.policy(INIT);
		assertThat(init.ingressEnforced()).isFalse();
		assertThat(init.egressEnforced()).isFalse();
		assertThat(new PolicyTracer(engine)
			.trace(Identity.reserved(ReservedIdentity.INIT), PEER_POD, List.of(), Protocol.TCP, 80)
			.verdict()).isEqualTo(Verdict.ALLOWED);
	}

	@Test
	void resolvingTheRealIdentityLeavesInit() {
		PolicyEngine engine = engine(EnforcementMode.DEFAULT, false);
		engine.upsertEndpoint(PEER, List.of());
		engine.removeEndpoint(INIT);
		EndpointPolicy peer = engine.policy(PEER);
		assertThat(peer.ingressEnforced()).as("the real labels are selected by no rule").isFalse();
		assertThat(peer.egressEnforced()).isFalse();
		assertThat(EnforcementMode.heldAtInit(PEER_POD.labels())).isFalse();
		assertThat(EnforcementMode.heldAtInit(ReservedIdentity.INIT.labels())).isTrue();
	}

	private static PolicyEngine engine(EnforcementMode mode, boolean allowLocalhost) {
		PolicyEngine engine = new PolicyEngine(mode, allowLocalhost);
		engine.upsertIdentity(Identity.reserved(ReservedIdentity.INIT));
		engine.upsertIdentity(PEER_POD);
		engine.upsertEndpoint(INIT, List.of());
		return engine;
	}

}
