package io.jcilium.bgp.agentstate;

import java.util.ArrayList;
import java.util.List;

import io.grpc.stub.StreamObserver;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.NodeStateServiceGrpc;
import io.jcilium.api.agent.v1.WatchNodeStateRequest;

/**
 * The agent's {@code NodeStateService} as a test drives it: every watcher gets the state
 * the test pushed last, then each one it pushes.
 */
public final class TestAgent extends NodeStateServiceGrpc.NodeStateServiceImplBase {

	private final List<StreamObserver<NodeState>> watchers = new ArrayList<>();

	private NodeState current;

	private long revision;

	/**
	 * @param state the next state (numbered here)
	 */
	public synchronized void push(NodeState state) {
		this.current = state.toBuilder().setRevision(++this.revision).build();
		this.watchers.forEach((watcher) -> watcher.onNext(this.current));
	}

	@Override
	public synchronized void watchNodeState(WatchNodeStateRequest request, StreamObserver<NodeState> responses) {
		this.watchers.add(responses);
		if (this.current != null) {
			responses.onNext(this.current);
		}
	}

}
