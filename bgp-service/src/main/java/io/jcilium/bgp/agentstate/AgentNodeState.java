package io.jcilium.bgp.agentstate;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.grpc.Channel;
import io.grpc.Context;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.NodeStateServiceGrpc;
import io.jcilium.api.agent.v1.WatchNodeStateRequest;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;

/**
 * Follows the local agent's node state: the loop job {@value #JOB} holds a
 * {@code WatchNodeState} stream open and keeps the latest state, calling the listeners
 * after each; when the stream breaks it reconnects with backoff. The last state received
 * stays in force while the agent is away (an agent restart must not withdraw the node's
 * routes from the routers); the agent's first state after it comes back replaces it.
 */
public final class AgentNodeState implements AutoCloseable {

	public static final String JOB = "bgp-agent-node-state";

	private static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(10));

	private final NodeStateServiceGrpc.NodeStateServiceBlockingStub agent;

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	private final Jobs jobs = new Jobs(JOB, 1);

	private final Job job;

	private volatile NodeState latest;

	/**
	 * @param agent a channel to the local agent's gRPC port
	 */
	public AgentNodeState(Channel agent) {
		this.agent = NodeStateServiceGrpc.newBlockingStub(agent);
		this.job = this.jobs.loop(JOB, BACKOFF, this::watch);
	}

	/**
	 * @return the agent's last state, or {@code null} until the first arrives
	 */
	public NodeState latest() {
		return this.latest;
	}

	/**
	 * @param listener called on the job's thread after each new state
	 */
	public void onChange(Runnable listener) {
		this.listeners.add(listener);
	}

	/**
	 * The job, for health and tests: its last error says why no state arrives.
	 */
	public Job job() {
		return this.job;
	}

	public void start() {
		this.job.start();
	}

	@Override
	public void close() {
		this.job.stop();
		this.jobs.close();
	}

	private void watch() throws Exception {
		Context.CancellableContext call = Context.current().withCancellation();
		try {
			call.call(() -> {
				Iterator<NodeState> states = this.agent.watchNodeState(WatchNodeStateRequest.getDefaultInstance());
				while (states.hasNext()) {
					this.latest = states.next();
					this.job.progressed();
					this.listeners.forEach(Runnable::run);
				}
				return null;
			});
		}
		finally {
			call.cancel(null);
		}
		throw new IllegalStateException("the agent ended the node state stream");
	}

}
