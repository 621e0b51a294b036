package io.jcilium.agent.health;

import io.jcilium.identity.client.IdentityClient;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether identity-service answers the agent, as its client last saw it: DOWN from the
 * first failed call until the next answer, with the failure as the reason. Running pods
 * keep their identities meanwhile; new pods wait for theirs.
 */
class IdentityServiceHealthIndicator implements HealthIndicator {

	private final IdentityClient client;

	/**
	 * @param client the agent's identity client, or null when identities are disabled
	 */
	IdentityServiceHealthIndicator(IdentityClient client) {
		this.client = client;
	}

	@Override
	public Health health() {
		if (this.client == null) {
			return Health.unknown().withDetail("reason", "disabled (jcilium.agent.identity.enabled=false)").build();
		}
		Health.Builder health = this.client.outage()
			.map((outage) -> Health.down().withDetail("reason", "identity-service is not answering " + outage))
			.orElseGet(Health::up);
		return health.withDetail("target", this.client.settings().target())
			.withDetail("circuitBreaker", this.client.circuitBreakerState().name())
			.withDetail("watchReconnects", this.client.watchReconnects())
			.build();
	}

}
