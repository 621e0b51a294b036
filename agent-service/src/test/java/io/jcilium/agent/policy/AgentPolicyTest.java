package io.jcilium.agent.policy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.jcilium.common.label.Labels;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.engine.NamedPort;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.jobs.JobStatus;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Policy deltas reach exactly the maps of the endpoints they concern, as deltas, written
 * off the caller's thread.
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

	private static final MapEntry ALLOW_CLIENT_8080 = new MapEntry(1001, Direction.INGRESS, 6, 8080, 16, false);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	/** Endpoints the policy cell reported as missing a change, for regeneration. */
	private final List<String> reported = new CopyOnWriteArrayList<>();

	private final Jobs jobs = new Jobs("test", 1);

	private final AgentPolicy policy = new AgentPolicy(new PolicyEngine(), this.registry, this.jobs,
			new PolicyInputSync(PolicyInputSync.DEFAULT_INPUT_WAIT_LIMIT),
			(endpointId, reason) -> this.reported.add(endpointId + ": " + reason));

	private final InMemoryPolicyMap web = new InMemoryPolicyMap();

	private final InMemoryPolicyMap client = new InMemoryPolicyMap();

	@AfterEach
	void close() {
		this.policy.close();
		this.jobs.close();
	}

	@Test
	void anEndpointWithoutPolicyEnforcesNothing() {
		attach(1, 1000, "web", this.web);
		assertThat(this.web.entries()).isEmpty();
		assertThat(this.web.ingressEnforced).isFalse();
		assertThat(this.web.egressEnforced).isFalse();
	}

	@Test
	void aPolicyReachesOnlyTheSelectedEndpointsMapAsADeltaWrittenOffTheCallersThread() {
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		attach(1, 1000, "web", this.web);
		attach(2, 1001, "client", this.client);
		long clientWrites = this.policy.mapWrites(2);

		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY).get(0));

		assertThat(this.policy.mapWrites(1)).isPositive();
		assertThat(this.web.entries()).contains(ALLOW_CLIENT_8080);
		assertThat(this.web.ingressEnforced).isTrue();
		assertThat(this.web.operations).hasSize(2).first().isEqualTo("replace");
		assertThat(this.web.operations.get(1)).as("the engine's delta, not the whole policy").startsWith("apply +");
		assertThat(this.web.writers).allMatch((thread) -> thread != Thread.currentThread())
			.allMatch((thread) -> thread.getName().equals("policy-map-writer"));
		assertThat(this.policy.mapWrites(2)).as("the client's map is untouched").isEqualTo(clientWrites);
		assertThat(this.client.operations).containsExactly("replace");
		assertThat(this.registry.get("jcilium_policy_map_writes").functionCounter().count()).isPositive();
		assertThat(this.registry.get("cilium_policy_implementation_delay").timer().count()).isEqualTo(2);
	}

	@Test
	void anIdentityChangeOfOneEndpointRewritesOnlyThatEndpointsMap() {
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY).get(0));
		InMemoryPolicyMap otherWeb = new InMemoryPolicyMap();
		attach(1, 1000, "web", this.web);
		attach(3, 1000, "web", otherWeb);
		long otherWrites = this.policy.mapWrites(3);
		long webWrites = this.policy.mapWrites(1);

		// endpoint 1's labels change: it moves to an identity no policy selects
		attach(1, 1002, "batch", this.web);

		assertThat(this.web.entries()).isEmpty();
		assertThat(this.web.ingressEnforced).isFalse();
		assertThat(this.policy.mapWrites(1)).isGreaterThan(webWrites);
		assertThat(this.policy.mapWrites(3)).as("the other web endpoint keeps its map").isEqualTo(otherWrites);
		assertThat(otherWeb.entries()).contains(ALLOW_CLIENT_8080);
	}

	@Test
	void aNewIdentityThatAPolicySelectsReachesOnlyTheSelectingEndpointsMap() {
		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY).get(0));
		attach(1, 1000, "web", this.web);
		attach(2, 1001, "batch", this.client);
		long batchWrites = this.policy.mapWrites(2);

		this.policy.upsertIdentity(Identity.of(1005, labels("client")));

		assertThat(this.policy.mapWrites(2)).isEqualTo(batchWrites);
		assertThat(this.web.entries()).contains(new MapEntry(1005, Direction.INGRESS, 6, 8080, 16, false));
	}

	@Test
	void aDroppedMapIsNotWrittenUntilAttachedAgain() {
		attach(1, 1000, "web", this.web);
		this.policy.dropMap(1);
		this.web.operations.clear();
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY).get(0));
		this.policy.awaitMapsWritten();
		assertThat(this.web.operations).isEmpty();

		attach(1, 1000, "web", this.web);
		assertThat(this.web.entries()).contains(ALLOW_CLIENT_8080);
	}

	@Test
	void aFailedChangeIsRetriedWithBackoffUntilTheMapHoldsTheWholePolicy() throws Exception {
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		attach(1, 1000, "web", this.web);
		attach(2, 1001, "client", this.client);
		this.web.failing = true;

		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY).get(0));
		long revision = this.policy.revision();
		this.policy.awaitMapsWritten();
		assertThat(this.web.entries()).as("the failed change left the old policy").isEmpty();
		assertThat(this.registry.get("jcilium_policy_map_write_failures").functionCounter().count()).isPositive();
		assertThat(this.registry.get("jcilium_policy_maps_out_of_date").gauge().value()).isOne();
		assertThat(this.reported).as("the endpoint cell is told, to regenerate it and show why")
			.first()
			.asString()
			.startsWith("1: its policy map missed a change: map write failed (injected)");
		// the delta, then two rewrites of the whole policy by the resync job: it retried
		// after its first rewrite failed
		assertThat(this.web.refused.tryAcquire(3, 30, TimeUnit.SECONDS)).isTrue();
		JobStatus resync = this.jobs.job(PolicyMapResync.JOB).orElseThrow().status();
		assertThat(resync.failures()).isPositive();
		assertThat(resync.lastError())
			.hasValueSatisfying((error) -> assertThat(error).contains("endpoint 1: map write failed (injected)"));
		assertThat(this.policy.whenRealized(revision)).as("the web map does not hold the revision").isNotDone();

		this.web.failing = false;
		assertThat(this.policy.whenRealized(revision).get(30, TimeUnit.SECONDS)).isEqualTo(revision);
		assertThat(this.web.entries()).contains(ALLOW_CLIENT_8080);
		assertThat(this.web.ingressEnforced).isTrue();
		assertThat(this.web.operations).last().isEqualTo("replace");
		assertThat(this.registry.get("jcilium_policy_maps_out_of_date").gauge().value()).isZero();

		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY.replace("8080", "8443")).get(0));
		this.policy.awaitMapsWritten();
		assertThat(this.web.operations).as("deltas flow again once the map is complete")
			.last()
			.asString()
			.startsWith("apply +");
	}

	@Test
	void aRevisionIsRealizedOnceEveryAffectedMapHoldsIt() throws Exception {
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		attach(1, 1000, "web", this.web);
		attach(2, 1001, "client", this.client);

		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY).get(0));
		long revision = this.policy.revision();

		assertThat(this.policy.whenRealized(revision).get(30, TimeUnit.SECONDS)).isEqualTo(revision);
		assertThat(this.web.entries()).as("in the map when the wait ends").contains(ALLOW_CLIENT_8080);
		assertThat(this.policy.whenRealized(revision + 1)).as("a revision not handed over yet").isNotDone();
		this.policy.removePolicy(new PolicyParser().parse(WEB_POLICY).get(0).key());
		assertThat(this.policy.whenRealized(revision + 1).get(30, TimeUnit.SECONDS)).isEqualTo(revision + 1);
		assertThat(this.web.entries()).doesNotContain(ALLOW_CLIENT_8080);
	}

	@Test
	void theWriterIsANamedJobThatCountsItsRuns() {
		attach(1, 1000, "web", this.web);
		this.policy.awaitMapsWritten();

		JobStatus writer = this.jobs.job(PolicyMapWriter.WRITER_JOB).orElseThrow().status();
		assertThat(writer.running()).isTrue();
		assertThat(writer.runs()).as("the attach, its revision, the wait").isGreaterThanOrEqualTo(2);
		assertThat(writer.lastError()).isEmpty();
		assertThat(this.web.writers).extracting(Thread::getName).containsOnly(PolicyMapWriter.WRITER_JOB);
	}

	@Test
	void aMapThatCannotBeWrittenFailsTheAttach() {
		this.web.failing = true;
		assertThatIllegalStateException().isThrownBy(() -> attach(1, 1000, "web", this.web))
			.withMessageContaining("injected");
	}

	@Test
	void detachingTheLastEndpointOfAnIdentityForgetsIt() {
		attach(1, 1000, "web", this.web);
		this.policy.detach(1);
		this.policy.detach(1);
		assertThat(this.policy.policy(1000)).isNull();
		assertThat(this.policy.mapWrites(1)).isZero();
	}

	@Test
	void aRuleNamingAPortResolvesAgainstTheEndpointsNamedPorts() {
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		this.policy.upsertPolicy(new PolicyParser().parse(WEB_POLICY.replace("port: \"8080\"", "port: http")).get(0));

		this.policy.attach(1, 1000, labels("web"), List.of(new NamedPort("http", 8080, Protocol.TCP)), this.web);

		assertThat(this.web.entries()).contains(ALLOW_CLIENT_8080);
		this.policy.attach(1, 1000, labels("web"), List.of(new NamedPort("http", 9090, Protocol.TCP)), this.web);
		assertThat(this.web.entries()).contains(new MapEntry(1001, Direction.INGRESS, 6, 9090, 16, false))
			.doesNotContain(ALLOW_CLIENT_8080);
	}

	private void attach(int endpointId, long identity, String app, InMemoryPolicyMap map) {
		this.policy.attach(endpointId, identity, labels(app), List.of(), map);
	}

	private static Labels labels(String app) {
		return Labels.parse(List.of("k8s:app=" + app, "k8s:io.kubernetes.pod.namespace=shop"));
	}

}
