package io.jcilium.agent.policy;

import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import io.jcilium.agent.endpoint.EndpointManager;
import io.jcilium.agent.endpoint.EndpointRegenerations;
import io.jcilium.agent.endpoint.PolicyStatusSource;
import io.jcilium.agent.k8s.NodeProperties;
import io.jcilium.agent.k8s.PodMetadataMapper;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Wires the policy cell: the engine in the configured enforcement mode
 * ({@link PolicyProperties}), fed through {@link PolicyUpdates}, and whether its inputs
 * have synced, which the endpoint reconciler asks before regenerating. It needs no
 * kernel; without the datapath it only computes (no endpoint registers a policy map).
 * Primary over any stand-in another cell may declare.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PolicyProperties.class)
public class PolicyConfiguration {

	@Bean
	PolicyInputSync policyInputSync() {
		return new PolicyInputSync(PolicyInputSync.DEFAULT_INPUT_WAIT_LIMIT);
	}

	@Bean
	@Primary
	AgentPolicy agentPolicy(PolicyProperties properties, ObjectProvider<MeterRegistry> registry, Jobs agentJobs,
			PolicyInputSync inputs, ObjectProvider<EndpointRegenerations> endpoints) {
		// Host reaches local endpoints always (allow-localhost), as upstream under
		// Kubernetes.
		PolicyEngine engine = new PolicyEngine(properties.enforcementMode(), true);
		// Looked up at a failure: the endpoint cell needs this one to exist first.
		return new AgentPolicy(engine, registry.getIfAvailable(SimpleMeterRegistry::new), agentJobs, inputs,
				(endpointId, reason) -> endpoints.ifAvailable((cell) -> cell.regenerate(endpointId, reason)));
	}

	/**
	 * The live policy trace: pods and their namespaces read from the API server when
	 * asked, so any pod of the cluster can be traced, not only this node's. Without
	 * Kubernetes only label sets can be traced.
	 */
	@Bean
	PolicyTraceEndpoint policyTraceEndpoint(AgentPolicy policy, ObjectProvider<KubernetesClient> clients,
			ObjectProvider<NodeProperties> node) {
		return new PolicyTraceEndpoint(policy, (namespace, name) -> {
			KubernetesClient client = clients.getIfAvailable();
			if (client == null) {
				throw new IllegalArgumentException(
						"this agent runs without Kubernetes: trace label sets instead of pods");
			}
			try {
				Pod pod = client.pods().inNamespace(namespace).withName(name).get();
				if (pod == null) {
					return Optional.empty();
				}
				Namespace labels = client.namespaces().withName(namespace).get();
				NodeProperties self = node.getIfAvailable(() -> new NodeProperties(null, "default", List.of()));
				return Optional.of(PodMetadataMapper.map(pod, labels, self.clusterName(), self.labelFilter()));
			}
			catch (KubernetesClientException ex) {
				throw new IllegalStateException(
						"cannot read pod " + namespace + "/" + name + " from the API server: " + ex.getMessage(), ex);
			}
		});
	}

	/**
	 * The enforcement each local endpoint's CiliumEndpoint shows, and when it changes.
	 */
	@Bean
	PolicyStatusSource endpointPolicyStatus(AgentPolicy policy) {
		return new PolicyStatusSource() {

			@Override
			public EndpointPolicy policy(long identity) {
				return policy.policy(identity);
			}

			@Override
			public Labels identityLabels(long identity) {
				return policy.identityLabels(identity);
			}

			@Override
			public void onChange(LongConsumer listener) {
				policy.onPolicyChange(listener);
			}

		};
	}

	@Bean
	PolicyRepositoryEndpoint policyRepositoryEndpoint(AgentPolicy policy) {
		return new PolicyRepositoryEndpoint(policy);
	}

	/**
	 * The endpoint policy view on actuator; without the endpoint cell (tests wiring
	 * policy alone) it knows no endpoints.
	 */
	@Bean
	EndpointPolicyEndpoint endpointPolicyEndpoint(ObjectProvider<EndpointManager> endpoints, AgentPolicy policy) {
		return new EndpointPolicyEndpoint(() -> {
			EndpointManager manager = endpoints.getIfAvailable();
			return (manager != null) ? manager.list() : List.of();
		}, policy::policy);
	}

}
