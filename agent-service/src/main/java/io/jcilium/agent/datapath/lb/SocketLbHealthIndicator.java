package io.jcilium.agent.datapath.lb;

import java.nio.file.Path;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether socket load balancing is attached ({@code socketLb} in
 * {@code /actuator/health}, part of the readiness group): with it on, the agent is not
 * ready until the socket programs hang on the cgroup v2 hierarchy, because until then a
 * connect to a ClusterIP from a pod or the host goes nowhere.
 */
class SocketLbHealthIndicator implements HealthIndicator {

	private final LbDatapath lb;

	/**
	 * @param lb the LB datapath, or null when the agent runs without a datapath
	 */
	SocketLbHealthIndicator(LbDatapath lb) {
		this.lb = lb;
	}

	@Override
	public Health health() {
		if (this.lb == null) {
			return Health.unknown().withDetail("reason", "no datapath (jcilium.datapath.enabled=false)").build();
		}
		if (!this.lb.socketLbEnabled()) {
			return Health.unknown().withDetail("reason", "disabled (jcilium.service.socket-lb=false)").build();
		}
		Path cgroup = this.lb.socketLbCgroup();
		if (cgroup == null) {
			return Health.down()
				.withDetail("reason",
						"the socket programs are not attached (the agent is starting, stopping or failed)")
				.build();
		}
		return Health.up().withDetail("cgroup", cgroup.toString()).build();
	}

}
