package io.jcilium.bgp.config;

import io.jcilium.bgp.reconcile.SpeakerPlan;
import io.jcilium.bgp.session.BgpSpeaker;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the speaker with its neighbours and routes, and stops it with a shutdown
 * communication to every neighbour (RFC 8203).
 */
final class SpeakerLifecycle implements SmartLifecycle {

	private final BgpSpeaker speaker;

	private final SpeakerPlan plan;

	private volatile boolean running;

	SpeakerLifecycle(BgpSpeaker speaker, SpeakerPlan plan) {
		this.speaker = speaker;
		this.plan = plan;
	}

	@Override
	public void start() {
		try {
			this.speaker.start();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while binding the BGP listener", ex);
		}
		this.plan.neighbours()
			.forEach((neighbour) -> this.speaker.addNeighbour(neighbour, this.plan.routesOf(neighbour)));
		this.running = true;
	}

	@Override
	public void stop() {
		this.speaker.stop(true);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
