package io.jcilium.agent.service;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import io.jcilium.common.net.IpAddress;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.KubernetesConfiguration;
import io.jcilium.agent.k8s.NodeProperties;
import io.jcilium.agent.node.NodeAddresses;
import io.jcilium.agent.service.healthcheck.HealthCheckServers;
import io.jcilium.agent.service.lb.LbMaps;
import io.jcilium.agent.service.lb.LbProgrammer;
import io.jcilium.agent.service.translate.NodeView;
import io.jcilium.agent.service.watch.InformerServiceCache;
import io.jcilium.agent.service.watch.PolicyServiceCatalog;
import io.jcilium.agent.service.watch.ServiceSync;
import io.jcilium.jobs.lifecycle.JobLifecycle;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the service load balancer: the Service/EndpointSlice reconciler on the agent's
 * informers and the programmer, writing into the {@link LbMaps} the datapath provides
 * (the kernel's LB maps and socket LB, with {@code jcilium.datapath.enabled}); without
 * it, services are translated and tracked and nothing is programmed.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ServiceProperties.class)
@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
public class ServiceConfiguration {

	@Bean
	LbProgrammer lbProgrammer(ObjectProvider<LbMaps> maps, ServiceProperties properties) {
		return new LbProgrammer(maps.getIfAvailable(NoLbMaps::new), properties.effectiveMaglevTableSize());
	}

	/**
	 * The Service and EndpointSlice caches, also read by the node state
	 * ({@code agent.v1.NodeStateService}) for the addresses this node serves.
	 */
	@Bean
	InformerServiceCache informerServiceCache(ClusterInformers informers) {
		return new InformerServiceCache(informers.services(), informers.endpointSlices());
	}

	/** The services as the policy's toServices rules see them. */
	@Bean
	PolicyServiceCatalog policyServiceCatalog(ClusterInformers informers, InformerServiceCache cache) {
		return new PolicyServiceCatalog(informers.services(), informers.endpointSlices(), cache);
	}

	/** Health-check node ports (upstream's {@code enable-health-check-nodeport}). */
	@Bean
	@ConditionalOnProperty(name = "jcilium.service.health-check-node-port", havingValue = "true", matchIfMissing = true)
	HealthCheckServers healthCheckServers() {
		return new HealthCheckServers();
	}

	@Bean
	ServiceSync serviceSync(ClusterInformers informers, InformerServiceCache cache, ServiceProperties properties,
			NodeProperties node, ObjectProvider<NodeAddresses> addresses, LbProgrammer programmer, Jobs agentJobs,
			ObjectProvider<HealthCheckServers> healthChecks) {
		ServiceSync sync = new ServiceSync(programmer, cache,
				() -> nodeView(node.nodeName(), addresses.getIfAvailable()), agentJobs, properties.resync(),
				healthChecks.getIfAvailable());
		cache.register(sync);
		// the first pass over every service once they are all known ends the takeover of
		// the LB maps a restarted agent found (even with no service event to trigger it)
		informers.whenServicesSynced(sync::changedAll);
		// NodePort frontends follow this node's addresses, once they are visible
		addresses.ifAvailable((known) -> known.onChange(sync::changedAll));
		return sync;
	}

	/** After the LB maps are open, before the informers deliver their first events. */
	@Bean
	JobLifecycle serviceSyncJob(ServiceSync sync) {
		return new JobLifecycle(sync.job(), SmartLifecycle.DEFAULT_PHASE - 2050);
	}

	@Bean
	ServiceEndpoint serviceEndpoint(LbProgrammer programmer) {
		return new ServiceEndpoint(programmer);
	}

	@Bean
	MeterBinder serviceMetrics(ServiceSync sync) {
		return (registry) -> Gauge.builder("jcilium_services_refused", sync, (s) -> s.refused().size())
			.description("services whose last change did not fit the LB maps and was not programmed")
			.register(registry);
	}

	static NodeView nodeView(String nodeName, NodeAddresses addresses) {
		List<InetAddress> parsed = new ArrayList<>();
		if (addresses != null) {
			for (String text : addresses.localAddresses()) {
				try {
					parsed.add(IpAddress.parseLiteral(text));
				}
				catch (IllegalArgumentException notAnIp) {
					// a host name among the Node's addresses: no NodePort frontend on it
				}
			}
		}
		return new NodeView(nodeName, parsed);
	}

}
