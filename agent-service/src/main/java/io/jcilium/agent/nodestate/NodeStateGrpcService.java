package io.jcilium.agent.nodestate;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.agent.v1.GetNodeStateRequest;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.NodeStateServiceGrpc;
import io.jcilium.api.agent.v1.WatchNodeStateRequest;

/**
 * {@code agent.v1.NodeStateService} on the agent's gRPC port. A watcher gets the current
 * state, then each new one; one that cannot keep up (gRPC flow control) skips to the
 * latest, never queueing states it would only replace: every state is whole.
 */
final class NodeStateGrpcService extends NodeStateServiceGrpc.NodeStateServiceImplBase {

	private final NodeStatePublisher publisher;

	NodeStateGrpcService(NodeStatePublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void getNodeState(GetNodeStateRequest request, StreamObserver<NodeState> responses) {
		NodeState current = this.publisher.current();
		if (current == null) {
			responses.onError(Status.UNAVAILABLE
				.withDescription("the agent has not synced its node, CiliumNode and service caches yet; retry")
				.asRuntimeException());
			return;
		}
		responses.onNext(current);
		responses.onCompleted();
	}

	@Override
	public void watchNodeState(WatchNodeStateRequest request, StreamObserver<NodeState> responses) {
		ServerCallStreamObserver<NodeState> call = (ServerCallStreamObserver<NodeState>) responses;
		Watcher watcher = new Watcher(call);
		call.setOnReadyHandler(watcher::drain);
		Runnable unsubscribe = this.publisher.subscribe(watcher::offer);
		call.setOnCancelHandler(unsubscribe::run);
	}

	/** One watch stream: the latest state not yet sent, sent when the stream is ready. */
	private static final class Watcher {

		private final ServerCallStreamObserver<NodeState> call;

		private NodeState pending;

		private boolean cancelled;

		Watcher(ServerCallStreamObserver<NodeState> call) {
			this.call = call;
		}

		void offer(NodeState state) {
			synchronized (this) {
				this.pending = state;
			}
			drain();
		}

		synchronized void drain() {
			if (this.cancelled || this.pending == null || !this.call.isReady()) {
				return;
			}
			NodeState next = this.pending;
			this.pending = null;
			try {
				this.call.onNext(next);
			}
			catch (RuntimeException cancelledMeanwhile) {
				// The client went away between isReady and onNext: the cancel handler
				// unsubscribes.
				this.cancelled = true;
			}
		}

	}

}
