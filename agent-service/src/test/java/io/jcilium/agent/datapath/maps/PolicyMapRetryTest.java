package io.jcilium.agent.datapath.maps;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.policy.AgentPolicy;
import io.jcilium.agent.policy.EndpointPolicyMap;
import io.jcilium.agent.policy.PolicyInputSync;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.PolicyDelta;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A policy change whose map write fails halfway, on the policy map writer's thread (not
 * in a regeneration), is rolled back and then written by the retry, so the map ends up
 * holding exactly the new policy, key for key as a fresh map would.
 */
class PolicyMapRetryTest {

	private static final String WEB_POLICY = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: web, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: web}}
			  ingress:
			    - fromEndpoints: [{matchLabels: {app: client}}]
			      toPorts: [{ports: [PORTS]}]
			""";

	private final Jobs jobs = new Jobs("test", 1);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final AgentPolicy policy = new AgentPolicy(new PolicyEngine(), this.registry, this.jobs,
			new PolicyInputSync(PolicyInputSync.DEFAULT_INPUT_WAIT_LIMIT), (endpointId, reason) -> {
			});

	private final InMemoryPolicyKeyStore store = new InMemoryPolicyKeyStore(16_384);

	@AfterEach
	void close() {
		this.policy.close();
		this.jobs.close();
	}

	@Test
	void aDeltaFailingHalfwayOnTheWriterIsRolledBackThenRetriedUntilTheMapIsComplete() throws Exception {
		this.policy.upsertIdentity(Identity.of(1001, labels("client")));
		this.policy.upsertPolicy(policy("{port: \"8080\", protocol: TCP}"));
		this.policy.attach(1, 1000, labels("web"), List.of(), map(this.store));
		// the change adds ten ports and removes one: the fourth write fails
		this.store.failAfter(3);

		this.policy.upsertPolicy(policy(ports(9080, 9089)));
		long revision = this.policy.revision();

		assertThat(this.policy.whenRealized(revision).get(30, TimeUnit.SECONDS)).isEqualTo(revision);
		assertThat(this.registry.get("jcilium_policy_map_write_failures").functionCounter().count())
			.as("the delta did fail")
			.isOne();
		InMemoryPolicyKeyStore fresh = new InMemoryPolicyKeyStore(16_384);
		map(fresh).replace(this.policy.policy(1000));
		// ten ports, the host's ingress (allowed by default, as upstream) and egress not
		// enforced
		assertThat(this.store.keys).as("what a fresh map holds").isEqualTo(fresh.keys).hasSize(12);
		assertThat(this.store.keys.keySet()).extracting(DatapathStructs.PolicyKey::port).doesNotContain(8080);
	}

	private static EndpointPolicyMap map(InMemoryPolicyKeyStore store) {
		PolicyMapSync sync = new PolicyMapSync(store, "the policy map of endpoint 1");
		return new EndpointPolicyMap() {

			@Override
			public int replace(EndpointPolicy policy) {
				return sync.replace(policy.entries(), policy.ingressEnforced(), policy.egressEnforced());
			}

			@Override
			public int apply(PolicyDelta.EndpointChange change) {
				return sync.apply(change.added(), change.removed(), change.ingressEnforced(), change.egressEnforced());
			}

		};
	}

	private static PolicyParser.PolicyObject policy(String ports) {
		return new PolicyParser().parse(WEB_POLICY.replace("PORTS", ports)).get(0);
	}

	private static String ports(int first, int last) {
		StringBuilder ports = new StringBuilder();
		for (int port = first; port <= last; port++) {
			ports.append((port == first) ? "" : ", ").append("{port: \"").append(port).append("\", protocol: TCP}");
		}
		return ports.toString();
	}

	private static Labels labels(String app) {
		return Labels.parse(List.of("k8s:app=" + app, "k8s:io.kubernetes.pod.namespace=shop"));
	}

}
