package io.jcilium.agent.datapath.endpoint;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.DatapathProperties;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.policy.EndpointPolicies;
import io.jcilium.agent.policy.PolicyEntryCounters;
import io.jcilium.agent.policy.PolicyMapContents;
import io.jcilium.agent.policy.RealizedPolicies;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Wires the endpoints' eBPF datapath when the datapath is enabled: programs per endpoint,
 * the node's shared maps, the ipcache for entries from other nodes, and the counters of
 * the endpoints' policy map entries (Hubble's per-rule bytes read them). The endpoint
 * datapath is {@link Primary} over the endpoint cell's stand-in, which stays the only one
 * where BPF is off and keeps every endpoint not ready (nothing would enforce policy).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "jcilium.datapath.enabled", havingValue = "true")
public class EndpointDatapathConfiguration {

	@Bean
	SharedMaps sharedDatapathMaps(Libbpf libbpf, DatapathProperties properties) {
		return new SharedMaps(libbpf, DatapathObjects.resolve(DatapathObjects.LXC),
				new BpffsLayout(properties.bpffsRoot(), properties.prefix()));
	}

	@Bean
	@Primary
	BpfEndpointDatapath bpfEndpointDatapath(Libbpf libbpf, SharedMaps maps, EndpointPolicies policy) {
		return new BpfEndpointDatapath(libbpf, DatapathObjects.resolve(DatapathObjects.LXC), maps, policy, null);
	}

	@Bean
	PolicyEntryCounters policyEntryCounters(BpfEndpointDatapath datapath, ObjectProvider<RealizedPolicies> policies) {
		RealizedPolicies realized = policies.getIfAvailable();
		if (realized == null) {
			return PolicyEntryCounters.NONE;
		}
		// Only the PolicyEntryCounters side: the same class is also the PolicyMapContents
		// bean below, and a second bean of either type breaks the single injection
		// points.
		BpfPolicyEntryCounters counters = new BpfPolicyEntryCounters(datapath::programs, realized);
		return counters::read;
	}

	@Bean
	PolicyMapContents policyMapContents(BpfEndpointDatapath datapath, ObjectProvider<RealizedPolicies> policies) {
		RealizedPolicies realized = policies.getIfAvailable();
		if (realized == null) {
			return PolicyMapContents.NONE;
		}
		// Only the PolicyMapContents side, as above.
		BpfPolicyEntryCounters contents = new BpfPolicyEntryCounters(datapath::programs, realized);
		return contents::read;
	}

	@Bean
	BpfIpcache bpfIpcache(SharedMaps maps) {
		return new BpfIpcache(maps);
	}

}
