package io.jcilium.agent.policy;

import java.time.Clock;
import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import io.jcilium.jobs.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.KubernetesConfiguration;
import io.jcilium.agent.k8s.NodeProperties;
import io.jcilium.agent.k8s.PolicyKind;
import io.jcilium.agent.k8s.RetryingWriter;
import io.jcilium.jobs.lifecycle.JobLifecycle;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the policy watcher: NetworkPolicies, CiliumNetworkPolicies and
 * CiliumClusterwideNetworkPolicies from the informers into {@link PolicyUpdates} (through
 * the {@link PolicyRulesInput} when one is wired), with their {@code Valid} conditions
 * written back, and the inputs the endpoints' policy must not be computed without.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
public class PolicyWatchConfiguration {

	private static final Logger log = LoggerFactory.getLogger(PolicyWatchConfiguration.class);

	/** How often policies with toServices are resolved again without a service event. */
	static final Duration TO_SERVICES_RESYNC = Duration.ofMinutes(5);

	/**
	 * toServices rules follow the services: between the watcher and the engine. Without
	 * the service feature no service is known and such rules allow nothing.
	 */
	@Bean
	ToServicesPolicies toServicesPolicies(ObjectProvider<PolicyUpdates> updates,
			ObjectProvider<PolicyRulesInput> rulesInput, ObjectProvider<ServiceCatalog> catalog, Jobs agentJobs) {
		// Then on through the CIDR identities' feed when there is one (a selector-less
		// service resolves to CIDRs), else straight into the engine.
		return new ToServicesPolicies(() -> {
			PolicyRulesInput input = rulesInput.getIfAvailable();
			return (input != null) ? input.policyUpdates() : updates.getIfAvailable(NoPolicyUpdates::new);
		}, catalog.getIfAvailable(ServiceCatalog::none), agentJobs, TO_SERVICES_RESYNC);
	}

	@Bean
	JobLifecycle toServicesPoliciesJob(ToServicesPolicies toServices) {
		return new JobLifecycle(toServices.job());
	}

	@Bean
	PolicyWatcher policyWatcher(ClusterInformers informers, KubernetesClient client, RetryingWriter writer,
			NodeProperties node, ObjectProvider<PolicyUpdates> updates, ToServicesPolicies toServices,
			ObjectProvider<ServiceCatalog> catalog) {
		PolicyUpdates input = toServices.updates();
		PolicyWatcher watcher = new PolicyWatcher(() -> input, new PolicyParser(node.clusterName()),
				new PolicyDocument(client.getKubernetesSerialization()),
				new PolicyStatusWriter(client, writer, Clock.systemUTC()));
		informers.networkPolicies().addEventHandler(watcher.networkPolicies());
		informers.ciliumNetworkPolicies().addEventHandler(watcher.ciliumPolicies(PolicyKind.CILIUM_NETWORK_POLICY));
		informers.clusterwidePolicies()
			.addEventHandler(watcher.ciliumPolicies(PolicyKind.CILIUM_CLUSTERWIDE_NETWORK_POLICY));
		updates.ifAvailable((policy) -> {
			policy.expectInput("the network policies from the API server", () -> watcher.caughtUpWith(informers));
			// A restored endpoint's named ports come with its pod: rules naming ports
			// must not be computed without them.
			policy.expectInput("this node's pods from the API server", () -> informers.pods().hasSynced());
			// toServices rules resolved against half the services would cut pods off.
			catalog.ifAvailable((services) -> policy.expectInput("the services and endpoint slices from the API server",
					services::synced));
		});
		return watcher;
	}

	/** Stands in while no policy cell is wired: says so once per policy, drops it. */
	static final class NoPolicyUpdates implements PolicyUpdates {

		@Override
		public void upsertPolicy(PolicyObject policy) {
			log.info("No policy engine in this agent; {} is not enforced", policy.key());
		}

		@Override
		public void removePolicy(String key) {
		}

		@Override
		public void upsertIdentity(Identity identity) {
		}

		@Override
		public void removeIdentity(long id) {
		}

	}

}
