package io.jcilium.agent.l2announce;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jcilium.agent.k8s.ClusterInformers;
import io.jcilium.agent.k8s.NodeProperties;
import io.jcilium.api.crd.v2alpha1.CiliumL2AnnouncementPolicy;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires L2 announcements when they are enabled, the datapath is on and the agent watches
 * an API server (the Leases and policies live there); the datapath's
 * {@code L2ResponderConfiguration} gives the {@link L2Responder} under the same
 * condition.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(L2AnnouncementConfiguration.ENABLED)
@EnableConfigurationProperties(L2AnnouncementProperties.class)
public class L2AnnouncementConfiguration {

	/** When L2 announcements run: enabled, with the datapath, against an API server. */
	public static final String ENABLED = "${jcilium.agent.l2-announcements.enabled:false}"
			+ " and ${jcilium.datapath.enabled:false} and ${jcilium.agent.k8s.enabled:true}";

	private static final Backoff RETRY = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(10));

	@Bean
	L2AnnouncementLifecycle l2AnnouncementLifecycle(KubernetesClient client, ClusterInformers informers,
			NodeProperties node, L2AnnouncementProperties properties, L2Responder responder, Jobs agentJobs) {
		var policies = client.resources(CiliumL2AnnouncementPolicy.class)
			.runnableInformer(properties.resync().toMillis());
		InformerL2Inputs inputs = new InformerL2Inputs(policies, informers.services(), informers.node(), responder);
		AtomicReference<Job> job = new AtomicReference<>();
		LeaseElections elections = new LeaseElections(client, properties, node.nodeName(), () -> job.get().trigger());
		L2Announcer announcer = new L2Announcer(inputs, elections, responder);
		job.set(agentJobs.periodic(L2AnnouncementLifecycle.JOB, properties.resync(), RETRY, announcer::reconcile));
		return new L2AnnouncementLifecycle(inputs, policies, announcer, elections, responder, job.get());
	}

}
