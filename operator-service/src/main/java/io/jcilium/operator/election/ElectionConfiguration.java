package io.jcilium.operator.election;

import java.util.List;
import java.util.UUID;

import io.fabric8.kubernetes.client.KubernetesClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires leader election: every {@link LeaderTask} bean runs only while this replica holds
 * the Lease (or always, when election is disabled).
 */
@Configuration(proxyBeanMethods = false)
class ElectionConfiguration {

	@Bean
	LeaseElection leaseElection(KubernetesClient client, ElectionProperties properties,
			ObjectProvider<LeaderTask> tasks) {
		String identity = properties.identity().isBlank() ? defaultIdentity() : properties.identity();
		return new LeaseElection(client, properties, identity, tasks.orderedStream().toList());
	}

	// Component 'leader' in /actuator/health.
	@Bean
	LeaderHealthIndicator leaderHealthIndicator(LeaseElection election, ElectionProperties properties) {
		return new LeaderHealthIndicator(election, properties.enabled());
	}

	@Bean
	SmartLifecycle leaderElectionLifecycle(LeaseElection election, ElectionProperties properties,
			ObjectProvider<LeaderTask> tasks) {
		return new ElectionLifecycle(election, properties.enabled(), tasks.orderedStream().toList());
	}

	// The pod name in a cluster (HOSTNAME), unique enough elsewhere.
	private static String defaultIdentity() {
		String host = System.getenv("HOSTNAME");
		return (host != null && !host.isBlank()) ? host : "jcilium-operator-" + UUID.randomUUID();
	}

	private static final class ElectionLifecycle implements SmartLifecycle {

		private final LeaseElection election;

		private final boolean enabled;

		private final List<LeaderTask> tasks;

		private volatile boolean running;

		ElectionLifecycle(LeaseElection election, boolean enabled, List<LeaderTask> tasks) {
			this.election = election;
			this.enabled = enabled;
			this.tasks = tasks;
		}

		@Override
		public void start() {
			if (this.enabled) {
				this.election.start();
			}
			else {
				this.tasks.forEach(LeaderTask::startLeading);
			}
			this.running = true;
		}

		@Override
		public void stop() {
			if (this.enabled) {
				this.election.stop();
			}
			else {
				this.tasks.forEach(LeaderTask::stopLeading);
			}
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

	}

}
