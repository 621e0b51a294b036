package io.jcilium.agent.nodestate;

import java.time.Duration;
import java.util.List;

import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.KubernetesConfiguration;
import io.jcilium.agent.k8s.NodeProperties;
import io.jcilium.agent.service.watch.InformerServiceCache;
import io.jcilium.jobs.Jobs;
import io.jcilium.jobs.lifecycle.JobLifecycle;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires {@code agent.v1.NodeStateService} on the agent's gRPC port (Spring gRPC serves
 * the bean), fed from the agent's informers. Needs Kubernetes: without it the agent knows
 * no services to tell anyone about.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = KubernetesConfiguration.ENABLED, havingValue = "true", matchIfMissing = true)
public class NodeStateConfiguration {

	/** A full pass this often repairs anything an event did not bring. */
	static final Duration RESYNC = Duration.ofSeconds(30);

	@Bean
	NodeStatePublisher nodeStatePublisher() {
		return new NodeStatePublisher();
	}

	@Bean
	NodeStateFeed nodeStateFeed(ClusterInformers informers, InformerServiceCache services, NodeProperties node,
			NodeStatePublisher publisher, Jobs agentJobs) {
		return new NodeStateFeed(node.nodeName(), informers.node(), informers.ciliumNodes(),
				List.of(informers.services(), informers.endpointSlices()), services, publisher, agentJobs, RESYNC);
	}

	@Bean
	JobLifecycle nodeStateFeedJob(NodeStateFeed feed) {
		return new JobLifecycle(feed.job());
	}

	@Bean
	NodeStateGrpcService nodeStateGrpcService(NodeStatePublisher publisher) {
		return new NodeStateGrpcService(publisher);
	}

}
