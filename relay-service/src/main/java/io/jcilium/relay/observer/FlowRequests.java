package io.jcilium.relay.observer;

import java.util.concurrent.ThreadPoolExecutor;

import io.jcilium.jobs.DaemonThreads;

import org.springframework.context.SmartLifecycle;

/**
 * The threads of the relay's {@code GetFlows} calls: one merging thread per call, a
 * bounded number of them (a call beyond the bound is refused, never queued); the nodes'
 * streams are read on gRPC's own threads. Stopping the relay interrupts them, which ends
 * their calls with {@code UNAVAILABLE}.
 */
final class FlowRequests implements SmartLifecycle {

	private final ThreadPoolExecutor merging;

	private volatile boolean running;

	FlowRequests(int maxCalls) {
		this.merging = DaemonThreads.bounded("relay-flows", maxCalls,
				"this relay serves at most " + maxCalls + " GetFlows calls at once (jcilium.relay.max-flow-streams)");
	}

	void run(Runnable call) {
		this.merging.execute(call);
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.merging.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
