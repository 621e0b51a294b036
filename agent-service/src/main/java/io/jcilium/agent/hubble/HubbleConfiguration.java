package io.jcilium.agent.hubble;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

import io.jcilium.agent.hubble.enrich.CachedIdentityLabels;
import io.jcilium.agent.hubble.enrich.FlowEnricher;
import io.jcilium.agent.hubble.enrich.IdentityLabels;
import io.jcilium.agent.hubble.enrich.LocalEndpoints;
import io.jcilium.agent.hubble.enrich.PodWorkloads;
import io.jcilium.agent.hubble.enrich.PolicyCorrelation;
import io.jcilium.agent.hubble.enrich.RemotePods;
import io.jcilium.agent.hubble.history.FlowHistory;
import io.jcilium.agent.hubble.metrics.FlowMetrics;
import io.jcilium.agent.hubble.metrics.HubbleMetricsProperties;
import io.jcilium.agent.hubble.ring.FlowRing;
import io.jcilium.agent.hubble.rules.RuleBytes;
import io.jcilium.agent.hubble.rules.RuleHits;
import io.jcilium.agent.hubble.rules.RuleHitsEndpoint;
import io.jcilium.agent.k8s.NodeProperties;
import io.jcilium.agent.policy.PolicyEntryCounters;
import io.jcilium.agent.policy.RealizedPolicies;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Labels;
import io.jcilium.identity.client.IdentityClient;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires Hubble on the agent: the local endpoints it learns from the endpoint lifecycle
 * (with their pods' workloads from the Kubernetes cell when it runs), other nodes' pods
 * by address (from their CiliumEndpoints, when the Kubernetes cell runs), identity labels
 * from the identity cache (reserved identities only when the identity cell is off), the
 * rules behind policy verdicts from the policy cell and their hit counters, with the
 * bytes the datapath charged to each policy's entries ({@code /actuator/policyhits}), the
 * observer with its ring (the datapath hands it flows as a {@link FlowSink}) and its flow
 * metrics, the threads of {@code GetFlows} calls and the Observer gRPC service, which
 * Spring gRPC serves on the agent's gRPC port beside health, and the durable flow history
 * ({@code jcilium.agent.hubble.history}). On by default;
 * {@code jcilium.agent.hubble.enabled=false} removes all of it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "jcilium.agent.hubble", name = "enabled", havingValue = "true", matchIfMissing = true)
public class HubbleConfiguration {

	@Bean
	LocalEndpoints hubbleLocalEndpoints(ObjectProvider<PodWorkloads> workloads) {
		return new LocalEndpoints(workloads.getIfAvailable(() -> PodWorkloads.NONE));
	}

	@Bean
	LocalObserver hubbleLocalObserver(HubbleProperties properties, NodeProperties node, LocalEndpoints endpoints,
			ObjectProvider<IdentityClient> identityClient, ObjectProvider<RealizedPolicies> policies,
			FlowMetrics metrics, RuleHits ruleHits, ObjectProvider<RemotePods> remotePods) {
		FlowEnricher enricher = new FlowEnricher(node.nodeName(), endpoints, identityLabels(identityClient),
				new PolicyCorrelation(policies.getIfAvailable()), remotePods.getIfAvailable(() -> RemotePods.NONE));
		return new LocalObserver(new FlowRing(properties.ringCapacity()), enricher, Clock.systemUTC(), metrics,
				ruleHits);
	}

	@Bean
	RuleHits hubbleRuleHits(HubbleMetricsProperties metrics, ObjectProvider<MeterRegistry> registry) {
		return new RuleHits(registry.getIfAvailable(), metrics.maxLabelSets());
	}

	@Bean
	RuleBytes hubbleRuleBytes(HubbleMetricsProperties metrics, ObjectProvider<MeterRegistry> registry,
			ObjectProvider<PolicyEntryCounters> counters, ObjectProvider<Jobs> agentJobs) {
		return new RuleBytes(counters.getIfAvailable(() -> PolicyEntryCounters.NONE), registry.getIfAvailable(),
				metrics.maxLabelSets(), agentJobs.getIfAvailable(), RuleBytes.INTERVAL);
	}

	@Bean
	RuleHitsEndpoint hubbleRuleHitsEndpoint(RuleHits hits, RuleBytes bytes, ObjectProvider<RealizedPolicies> policies) {
		return new RuleHitsEndpoint(hits, bytes, () -> {
			RealizedPolicies realized = policies.getIfAvailable();
			return (realized != null) ? realized.sources() : List.of();
		});
	}

	@Bean
	FlowStreams hubbleFlowStreams(HubbleProperties properties) {
		return new FlowStreams(properties.maxFlowStreams());
	}

	@Bean
	@ConditionalOnProperty(prefix = "jcilium.agent.hubble.history", name = "enabled", havingValue = "true",
			matchIfMissing = true)
	FlowHistory hubbleFlowHistory(HubbleProperties properties, LocalObserver observer) {
		return new FlowHistory(properties.history().settings(), observer.ring(), Clock.systemUTC());
	}

	@Bean
	ObserverService hubbleObserverService(LocalObserver observer, FlowStreams streams, NodeProperties node,
			HubbleProperties properties, ObjectProvider<BuildProperties> build, ObjectProvider<FlowHistory> history) {
		String version = Optional.ofNullable(build.getIfAvailable()).map(BuildProperties::getVersion).orElse("");
		return new ObserverService(observer, streams, node.nodeName(), version, properties.advertiseAddress(),
				node.clusterName(), history.getIfAvailable());
	}

	private static IdentityLabels identityLabels(ObjectProvider<IdentityClient> identityClient) {
		IdentityClient client = identityClient.getIfAvailable();
		LongFunction<Optional<Labels>> find = (client != null) ? client.cache()::find
				: (id) -> ReservedIdentity.fromId(id).map(ReservedIdentity::labels);
		return new CachedIdentityLabels(find);
	}

}
