package io.jcilium.agent.endpoint;

import org.springframework.context.SmartLifecycle;

/**
 * Restores the endpoints of the previous agent at start, in a phase before the agent API
 * (so restored ids and addresses are reserved before any CNI ADD is served), and stops
 * the regeneration workers at stop, after the API, leaving every endpoint in place.
 */
final class EndpointLifecycle implements SmartLifecycle {

	/** Before the agent API server, which runs in the default phase. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1000;

	private final EndpointManager endpoints;

	private volatile boolean running;

	EndpointLifecycle(EndpointManager endpoints) {
		this.endpoints = endpoints;
	}

	@Override
	public void start() {
		this.endpoints.restore();
		this.running = true;
	}

	@Override
	public void stop() {
		this.endpoints.close();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
