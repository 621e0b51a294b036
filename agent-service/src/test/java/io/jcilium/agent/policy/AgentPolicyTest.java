package io.jcilium.agent.policy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;
import io.jcilium.common.label.Labels;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.engine.NamedPort;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Policy deltas reach exactly the maps of the endpoints they concern, by differences,
 * adds before removes.
 */
class AgentPolicyTest {

	private static final String WEB_POLICY = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: client}}]
			      toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
			""";

	private static final PolicyKey INGRESS_ALLOW_ALL = new PolicyKey(0, false, 0, 0, 40);

	private static final PolicyKey EGRESS_ALLOW_ALL = new PolicyKey(0, true, 0, 0, 40);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final AgentPolicy policy = new AgentPolicy(new PolicyEngine(), this.registry);

	private final InMemoryPolicyMap web = new InMemoryPolicyMap();

	private final InMemoryPolicyMap client = new InMemoryPolicyMap();

	@Test
	void anEndpointWithoutPolicyAllowsEverything() {
		this.policy.attach(1, 1000, labels("web"), this.web);
		assertThat(this.web.keys).containsOnlyKeys(INGRESS_ALLOW_ALL, EGRESS_ALLOW_ALL);
	}

	@Test
	void aPolicyRewritesOnlyTheSelectedEndpointsMapAddingBeforeRemoving() {
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		this.policy.attach(1, 1000, labels("web"), this.web);
		this.policy.attach(2, 1001, labels("client"), this.client);
		long clientWrites = this.policy.mapWrites(2);
		this.web.operations.clear();

		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY).get(0));

		PolicyKey allowClient = new PolicyKey(1001, false, 6, 8080, 64);
		assertThat(this.web.keys).containsEntry(allowClient, false)
			.containsEntry(EGRESS_ALLOW_ALL, false)
			.doesNotContainKey(INGRESS_ALLOW_ALL);
		assertThat(this.web.operations).contains("+" + allowClient);
		assertThat(this.web.operations).last().isEqualTo("-" + INGRESS_ALLOW_ALL);
		assertThat(this.policy.mapWrites(2)).as("the client's map is untouched").isEqualTo(clientWrites);
		assertThat(this.registry.get("jcilium_policy_map_writes").functionCounter().count()).isPositive();
		assertThat(this.registry.get("cilium_policy_implementation_delay").timer().count()).isEqualTo(2);
	}

	@Test
	void anIdentityChangeOfOneEndpointRewritesOnlyThatEndpointsMap() {
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY).get(0));
		InMemoryPolicyMap otherWeb = new InMemoryPolicyMap();
		this.policy.attach(1, 1000, labels("web"), this.web);
		this.policy.attach(3, 1000, labels("web"), otherWeb);
		long otherWrites = this.policy.mapWrites(3);
		long webWrites = this.policy.mapWrites(1);

		// endpoint 1's labels change: it moves to an identity no policy selects
		this.policy.attach(1, 1002, labels("batch"), this.web);

		assertThat(this.web.keys).containsOnlyKeys(INGRESS_ALLOW_ALL, EGRESS_ALLOW_ALL);
		assertThat(this.policy.mapWrites(1)).isGreaterThan(webWrites);
		assertThat(this.policy.mapWrites(3)).as("the other web endpoint keeps its map").isEqualTo(otherWrites);
		assertThat(otherWeb.keys).containsKey(new PolicyKey(1001, false, 6, 8080, 64));
	}

	@Test
	void aRestoredMapThatIsUpToDateIsNotWritten() {
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY).get(0));
		this.policy.attach(1, 1000, labels("web"), this.web);

		AgentPolicy restarted = new AgentPolicy(new PolicyEngine(), new SimpleMeterRegistry());
		restarted.upsertIdentity(Identity.of(1001, labels("client")));
		restarted.upsertPolicy(new PolicyParser().parse(WEB_POLICY).get(0));
		this.web.operations.clear();
		restarted.attach(1, 1000, labels("web"), this.web);

		assertThat(this.web.operations).isEmpty();
		assertThat(restarted.mapWrites(1)).isZero();
	}

	@Test
	void aNewIdentityThatAPolicySelectsReachesOnlyTheSelectingEndpointsMap() {
		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY).get(0));
		this.policy.attach(1, 1000, labels("web"), this.web);
		this.policy.attach(2, 1001, labels("batch"), this.client);
		long batchWrites = this.policy.mapWrites(2);

		this.policy.upsertIdentity(Identity.of(1005, labels("client")));

		assertThat(this.web.keys).containsEntry(new PolicyKey(1005, false, 6, 8080, 64), false);
		assertThat(this.policy.mapWrites(2)).isEqualTo(batchWrites);
	}

	@Test
	void aDroppedMapIsNotWrittenUntilAttachedAgain() {
		this.policy.attach(1, 1000, labels("web"), this.web);
		this.policy.dropMap(1);
		this.web.operations.clear();
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY).get(0));
		assertThat(this.web.operations).isEmpty();

		this.policy.attach(1, 1000, labels("web"), this.web);
		assertThat(this.web.keys).containsKey(new PolicyKey(1001, false, 6, 8080, 64))
			.doesNotContainKey(INGRESS_ALLOW_ALL);
	}

	@Test
	void detachingTheLastEndpointOfAnIdentityForgetsIt() {
		this.policy.attach(1, 1000, labels("web"), this.web);
		this.policy.detach(1);
		this.policy.detach(1);
		assertThat(this.policy.policy(1000)).isNull();
		assertThat(this.policy.mapWrites(1)).isZero();
	}

	private static Labels labels(String app) {
		return Labels.parse(List.of("k8s:app=" + app, "k8s:io.kubernetes.pod.namespace=shop"));
	}

	@Test
	void regenerationsWaitForEveryDeclaredInputThenProceed() {
		AtomicBoolean policies = new AtomicBoolean();
		AtomicBoolean identities = new AtomicBoolean();
		AgentPolicy gated = new AgentPolicy(new PolicyEngine(), new SimpleMeterRegistry(), Duration.ofHours(1));
		gated.expectInput("the policies", policies::get);
		gated.expectInput("the identities", identities::get);

		assertThatIllegalStateException().isThrownBy(gated::requireInputsSynced)
			.withMessageContaining("waiting for the identities and the policies to sync");
		policies.set(true);
		assertThatIllegalStateException().isThrownBy(gated::requireInputsSynced)
			.withMessageStartingWith("waiting for the identities to sync");
		identities.set(true);
		gated.requireInputsSynced();
		identities.set(false);
		gated.requireInputsSynced();
	}

	@Test
	void regenerationsStopWaitingAfterTheLimit() {
		AgentPolicy gated = new AgentPolicy(new PolicyEngine(), new SimpleMeterRegistry(), Duration.ZERO);
		gated.expectInput("an API server that never answers", () -> false);

		gated.requireInputsSynced();
	}

	@Test
	void aRuleNamingAPortResolvesAgainstTheEndpointsNamedPorts() {
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY.replace("port: \"8080\"", "port: http")).get(0));

		this.policy.attach(1, 1000, labels("web"), List.of(new NamedPort("http", 8080, Protocol.TCP)), this.web);

		assertThat(this.web.keys).containsEntry(new PolicyKey(1001, false, 6, 8080, 64), false);
		this.policy.attach(1, 1000, labels("web"), List.of(new NamedPort("http", 9090, Protocol.TCP)), this.web);
		assertThat(this.web.keys).containsEntry(new PolicyKey(1001, false, 6, 9090, 64), false)
			.doesNotContainKey(new PolicyKey(1001, false, 6, 8080, 64));
	}

}
