package io.jcilium.agent.cidr;

import io.jcilium.agent.ipcache.IpcacheSync;
import io.jcilium.agent.k8s.KubernetesConfiguration;
import io.jcilium.agent.policy.PolicyRulesInput;
import io.jcilium.agent.policy.PolicyUpdates;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the CIDR identities in front of the agent's policy: the policy watcher hands its
 * policies to the {@link PolicyRulesInput} bean, whose feed gives their prefixes
 * identities and ipcache entries before passing them on to the policy cell.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
public class CidrConfiguration {

	@Bean
	CidrRulesInput cidrRulesInput(PolicyUpdates policy, IpcacheSync ipcacheSync) {
		return new CidrRulesInput(new CidrPolicyFeed(policy, ipcacheSync));
	}

	/** The feed as the watcher's input, and its metric. */
	static final class CidrRulesInput implements PolicyRulesInput, MeterBinder {

		private final CidrPolicyFeed feed;

		CidrRulesInput(CidrPolicyFeed feed) {
			this.feed = feed;
		}

		@Override
		public PolicyUpdates policyUpdates() {
			return this.feed;
		}

		@Override
		public void bindTo(MeterRegistry registry) {
			Gauge.builder("jcilium_cidr_identities", this.feed, (feed) -> feed.identities().size())
				.description("Node-local CIDR identities given to the prefixes of the CIDR rules in force")
				.register(registry);
		}

	}

}
