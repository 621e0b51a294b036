package io.jcilium.agent.hubble;

import java.util.concurrent.ThreadPoolExecutor;

import io.jcilium.jobs.DaemonThreads;

import org.springframework.context.SmartLifecycle;

/**
 * The threads {@code GetFlows} calls run on, a bounded number of them (a call beyond the
 * bound is refused, never queued behind others); stopping the agent interrupts them,
 * which ends their calls with {@code UNAVAILABLE}. Idle threads end after a minute.
 */
final class FlowStreams implements SmartLifecycle {

	private final ThreadPoolExecutor executor;

	private volatile boolean running;

	FlowStreams(int maxStreams) {
		this.executor = DaemonThreads.bounded("hubble-flows", maxStreams, "this agent serves at most " + maxStreams
				+ " GetFlows calls at once (jcilium.agent.hubble.max-flow-streams)");
	}

	void run(Runnable stream) {
		this.executor.execute(stream);
	}

	int active() {
		return this.executor.getActiveCount();
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.executor.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
