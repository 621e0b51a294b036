package io.jcilium.agent.identity;

import io.jcilium.agent.policy.PolicyUpdates;
import io.jcilium.identity.client.IdentityClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the identity client with the agent: opens the Watch stream, starts the node's
 * lease and feeds identities to the policy (when the agent has a policy cell). Never
 * waits for identity-service: an agent starting while it is down comes up, reports it,
 * and keeps trying, so that running pods are not held hostage by a control-plane outage.
 */
final class IdentityClientLifecycle implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(IdentityClientLifecycle.class);

	private final IdentityClient client;

	private final ObjectProvider<PolicyUpdates> policy;

	private volatile boolean running;

	IdentityClientLifecycle(IdentityClient client, ObjectProvider<PolicyUpdates> policy) {
		this.client = client;
		this.policy = policy;
		policy.ifAvailable((updates) -> updates.expectInput("the identities from identity-service",
				() -> client.cache().isSynced()));
	}

	@Override
	public void start() {
		this.policy.ifAvailable((updates) -> new PolicyIdentityFeed(updates).follow(this.client.cache()));
		this.client.start();
		this.running = true;
		logger.info("identity client started: identity-service {} as node {}", this.client.settings().target(),
				this.client.settings().node());
	}

	@Override
	public void stop() {
		this.client.close();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
