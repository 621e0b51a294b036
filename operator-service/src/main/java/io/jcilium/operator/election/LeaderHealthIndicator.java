package io.jcilium.operator.election;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Leader status as a detail of the operator's health: which replica leads, and whether
 * this one does. A replica that does not lead is healthy (it stands by to take over), so
 * this is UP whenever the election runs; it is DOWN only when election is on but this
 * replica has stopped taking part, since it could then never take over.
 */
class LeaderHealthIndicator implements HealthIndicator {

	private final LeaseElection election;

	private final boolean enabled;

	LeaderHealthIndicator(LeaseElection election, boolean enabled) {
		this.election = election;
		this.enabled = enabled;
	}

	@Override
	public Health health() {
		if (!this.enabled) {
			return Health.up()
				.withDetail("leading", true)
				.withDetail("reason",
						"election disabled (jcilium.operator.election.enabled=false): this replica " + "always leads")
				.build();
		}
		Health.Builder health = this.election.isRunning() ? Health.up()
				: Health.down().withDetail("reason", "this replica is not taking part in the leader election");
		String leader = this.election.leader();
		return health.withDetail("identity", this.election.identity())
			.withDetail("leading", this.election.isLeader())
			.withDetail("leader", (leader != null) ? leader : "none seen yet")
			.build();
	}

}
