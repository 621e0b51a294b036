package io.jcilium.agent.cidr;

import java.util.List;
import java.util.Map;

import io.jcilium.agent.ipcache.IpcacheSync;
import io.jcilium.agent.k8s.Recorders.RecordingIpcache;
import io.jcilium.agent.k8s.Recorders.RecordingPolicyUpdates;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import io.jcilium.jobs.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CidrPolicyFeedTest {

	static final String EGRESS = """
			apiVersion: cilium.io/v2
			kind: CiliumNetworkPolicy
			metadata: {name: out, namespace: shop}
			spec:
			  endpointSelector: {matchLabels: {app: client}}
			  egress:
			    - toCIDRSet: [{cidr: 203.0.113.0/24, except: [203.0.113.128/25]}]
			""";

	static final String INGRESS = """
			apiVersion: networking.k8s.io/v1
			kind: NetworkPolicy
			metadata: {name: in, namespace: shop}
			spec:
			  podSelector: {}
			  ingress:
			    - from: [{ipBlock: {cidr: 203.0.113.0/24}}]
			""";

	private final RecordingPolicyUpdates policy = new RecordingPolicyUpdates();

	private final RecordingIpcache ipcache = new RecordingIpcache();

	private final Jobs jobs = new Jobs("cidr-test", 1);

	private final CidrPolicyFeed feed = new CidrPolicyFeed(this.policy, new IpcacheSync(() -> this.ipcache, this.jobs));

	private final PolicyParser parser = new PolicyParser();

	@AfterEach
	void stopJobs() {
		this.jobs.close();
	}

	@Test
	void prefixesAndExceptsGetIdentitiesBeforeTheRulesAndIntoTheIpcache() {
		this.feed.upsertPolicy(parse(EGRESS));
		assertThat(this.policy.calls()).hasSize(3);
		assertThat(this.policy.calls().subList(0, 2)).allMatch((call) -> call.startsWith("identity 1677721"))
			.anyMatch((call) -> call.contains("cidr:203.0.113.0/24"))
			.anyMatch((call) -> call.contains("cidr:203.0.113.128/25"));
		assertThat(this.policy.calls().get(2)).isEqualTo("upsert CiliumNetworkPolicy/shop/out");
		Map<Cidr, ?> identities = this.feed.identities();
		assertThat(this.ipcache.get("203.0.113.0/24"))
			.isEqualTo(String.valueOf(this.feed.identities().get(Cidr.parse("203.0.113.0/24")).id()));
		assertThat(this.ipcache.get("203.0.113.128/25"))
			.isEqualTo(String.valueOf(this.feed.identities().get(Cidr.parse("203.0.113.128/25")).id()));
		assertThat(identities).hasSize(2);
	}

	@Test
	void aPrefixSharedByTwoPoliciesStaysUntilTheLastOneGoesThenLeavesTheIpcacheBeforeThePolicy() {
		this.feed.upsertPolicy(parse(EGRESS));
		this.feed.upsertPolicy(parse(INGRESS));
		long whole = this.feed.identities().get(Cidr.parse("203.0.113.0/24")).id();
		long except = this.feed.identities().get(Cidr.parse("203.0.113.128/25")).id();
		this.feed.removePolicy("CiliumNetworkPolicy/shop/out");
		assertThat(this.ipcache.has("203.0.113.128/25")).isFalse();
		assertThat(this.ipcache.get("203.0.113.0/24")).isEqualTo(String.valueOf(whole));
		List<String> calls = this.policy.calls();
		assertThat(calls.subList(calls.size() - 2, calls.size())).containsExactly("remove CiliumNetworkPolicy/shop/out",
				"remove identity " + except);
		this.feed.removePolicy("NetworkPolicy/shop/in");
		assertThat(this.ipcache.has("203.0.113.0/24")).isFalse();
		assertThat(this.policy.calls()).last().isEqualTo("remove identity " + whole);
		assertThat(this.feed.identities()).isEmpty();
	}

	@Test
	void aPolicyWithoutCidrRulesPassesThroughAlone() {
		this.feed.upsertPolicy(parse("""
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: plain, namespace: shop}
				spec:
				  endpointSelector: {}
				  ingress: [{fromEndpoints: [{}]}]
				"""));
		assertThat(this.policy.calls()).containsExactly("upsert CiliumNetworkPolicy/shop/plain");
		assertThat(this.ipcache.calls()).isEmpty();
	}

	private PolicyObject parse(String yaml) {
		List<PolicyObject> objects = this.parser.parse(yaml);
		assertThat(objects).hasSize(1);
		return objects.get(0);
	}

}
