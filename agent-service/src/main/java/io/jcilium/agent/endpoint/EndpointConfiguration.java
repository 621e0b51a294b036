package io.jcilium.agent.endpoint;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import io.jcilium.agent.ipam.PodPoolSource;
import io.jcilium.agent.link.IpCommandLinkOperations;
import io.jcilium.agent.node.routing.RoutingMode;
import io.jcilium.agent.link.LinkOperations;
import io.jcilium.jobs.Jobs;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the endpoint lifecycle: kernel links through rtnetlink (or iproute2), pod IPs and
 * endpoints persisted in the state directory, and the stand-ins for identity resolution
 * and the datapath until those cells provide the real ones (their beans replace these;
 * the datapath's stand-in keeps every endpoint not ready, since nothing would enforce
 * policy). Pod metadata and endpoint listeners are looked up lazily, so the Kubernetes
 * cell may depend on the manager (as its {@link PodMetadataListener}) without a cycle.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EndpointProperties.class)
public class EndpointConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LinkOperations linkOperations(@Value("${jcilium.agent.routing.mode:native}") String routingMode,
			@Value("${jcilium.agent.routing.underlay-mtu:1500}") int underlayMtu) {
		// rtnetlink's implementation, the kernel edge, is the datapath's (Primary) unless
		// jcilium.agent.endpoint.link-setup=ip
		return new IpCommandLinkOperations(IpCommandLinkOperations.DEFAULT_COMMAND_TIMEOUT,
				RoutingMode.podLinkMtu(routingMode, underlayMtu));
	}

	@Bean
	PersistentPodIps persistentPodIps(EndpointProperties properties, ObjectProvider<PodCidrSource> cidrs,
			ObjectProvider<PodIpSpaceSource> pools, ObjectProvider<PodPoolSource> podPools) {
		PodIpSpaceSource multiPool = pools.getIfAvailable();
		if (multiPool != null) {
			return PersistentPodIps.of(multiPool::awaitSpace, properties.stateDir().resolve("pod-ip-allocations"),
					properties.ipam().poolWait(), podPools.getIfAvailable(() -> PodPoolSource.DEFAULT));
		}
		// The CiliumNode's CIDR when the Kubernetes cell provides it, else the configured
		// one.
		return new PersistentPodIps(() -> cidrs.getIfAvailable(() -> () -> properties.ipam().podCidr()).awaitPodCidr(),
				properties.stateDir().resolve("pod-ip-allocations"));
	}

	@Bean
	@ConditionalOnMissingBean
	IdentityResolver identityResolver() {
		return new InitIdentityResolver();
	}

	/** Without the datapath cell no pod is enforced: endpoints never become ready. */
	@Bean
	@ConditionalOnMissingBean
	EndpointDatapath endpointDatapath() {
		return new NoEndpointDatapath();
	}

	@Bean
	EndpointManager endpointManager(EndpointProperties properties, LinkOperations links, PersistentPodIps ips,
			IdentityResolver identities, EndpointDatapath datapath, ObjectProvider<PodMetadataSource> pods,
			ObjectProvider<EndpointListener> listeners, ObjectProvider<PolicyReadiness> policy) {
		// Without the Kubernetes cell every pod is known with no labels.
		PodMetadataSource unlabeled = new UnlabeledPods();
		PodMetadataSource podsWhenAvailable = (namespace, name) -> pods.getIfAvailable(() -> unlabeled)
			.find(namespace, name);
		return new EndpointManager(links, ips, identities, datapath, podsWhenAvailable,
				List.of(new LazyEndpointListeners(listeners)),
				properties.endpoint().settings(properties.stateDir().resolve("endpoints")),
				() -> policy.getIfAvailable(() -> PolicyReadiness.READY).awaited());
	}

	@Bean
	EndpointLifecycle endpointLifecycle(EndpointManager endpoints) {
		return new EndpointLifecycle(endpoints);
	}

	/**
	 * Held orphans are checked against this node's pods when the Kubernetes cell provides
	 * them; without it they are kept. The grace period runs on the system clock unless a
	 * test provides one.
	 */
	@Bean
	OrphanReconcileJob orphanReconcileJob(EndpointProperties properties, EndpointManager endpoints, Jobs agentJobs,
			ObjectProvider<LocalPodAddresses> pods, ObjectProvider<Clock> clock) {
		OrphanReconciler reconciler = new OrphanReconciler(endpoints.orphans(),
				() -> Optional.ofNullable(pods.getIfAvailable()), clock.getIfUnique(Clock::systemUTC),
				properties.endpoint().orphanGracePeriod(), endpoints.orphanRelease()::release,
				endpoints.quarantinedIds());
		OrphanReconcileJob job = new OrphanReconcileJob(agentJobs, properties.endpoint().orphanReconcileInterval(),
				reconciler, endpoints.orphans());
		pods.ifAvailable((addresses) -> addresses.whenChanged(job::podsChanged));
		return job;
	}

	@Bean
	EndpointMetrics endpointMetrics(EndpointManager endpoints) {
		return new EndpointMetrics(endpoints);
	}

}
