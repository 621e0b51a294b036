package io.jcilium.agent.cidr;

import io.jcilium.agent.ipcache.IpcacheSync;
import io.jcilium.agent.k8s.KubernetesConfiguration;
import io.jcilium.agent.policy.PolicyUpdates;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the CIDR identities in front of the agent's policy: the policy watcher hands its
 * policies to the {@link PolicyUpdates#RULES_INPUT} bean, which gives their prefixes
 * identities and ipcache entries before passing them on to the policy cell.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
public class CidrConfiguration {

	@Bean
	@Qualifier(PolicyUpdates.RULES_INPUT)
	CidrPolicyFeed cidrPolicyFeed(PolicyUpdates policy, IpcacheSync ipcacheSync) {
		return new CidrPolicyFeed(policy, ipcacheSync);
	}

	@Bean
	MeterBinder cidrIdentityMetrics(CidrPolicyFeed cidrPolicyFeed) {
		return (registry) -> Gauge
			.builder("jcilium_cidr_identities", cidrPolicyFeed, (feed) -> feed.identities().size())
			.description("Node-local CIDR identities given to the prefixes of the CIDR rules in force")
			.register(registry);
	}

}
