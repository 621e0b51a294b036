package io.jcilium.agent.datapath.lb;

import java.nio.file.Path;

import io.jcilium.agent.service.lb.LbProgrammer;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether socket load balancing works ({@code socketLb} in {@code /actuator/health}, part
 * of the readiness group): with it on, the agent is not ready until the socket programs
 * hang on the cgroup v2 hierarchy and the LB maps hold what the services want. Until the
 * programs are attached a connect to a ClusterIP from a pod or the host goes nowhere;
 * until the services are synced the maps hold only what a previous agent left (served
 * meanwhile, but services created or changed since are missing).
 */
class SocketLbHealthIndicator implements HealthIndicator {

	private final LbDatapath lb;

	private final LbProgrammer programmer;

	/**
	 * @param lb the LB datapath, or null when the agent runs without a datapath
	 * @param programmer what writes the services into the maps, or null when the agent
	 * does not watch services
	 */
	SocketLbHealthIndicator(LbDatapath lb, LbProgrammer programmer) {
		this.lb = lb;
		this.programmer = programmer;
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
		if (this.programmer != null) {
			LbProgrammer.RestoreStatus status = this.programmer.restoreStatus();
			if (!status.synced()) {
				return Health.down()
					.withDetail("reason",
							"the services are not synced from the API server yet; the LB maps serve "
									+ status.restoredFrontends() + " frontend(s) kept from before the start meanwhile")
					.withDetail("cgroup", cgroup.toString())
					.withDetail("restoredFrontends", status.restoredFrontends())
					.build();
			}
		}
		return Health.up().withDetail("cgroup", cgroup.toString()).build();
	}

}
