package io.jcilium.relay.observer;

import java.util.concurrent.BlockingQueue;

import io.grpc.stub.StreamObserver;
import io.jcilium.api.hubble.observer.GetFlowsResponse;

/**
 * A client's follow stream as the tests read it: every response put on a queue, the
 * stream's end ignored (the tests wait on the queue with their own deadline).
 */
final class FollowedFlows {

	private FollowedFlows() {
	}

	static StreamObserver<GetFlowsResponse> into(BlockingQueue<GetFlowsResponse> received) {
		return new StreamObserver<>() {

			@Override
			public void onNext(GetFlowsResponse value) {
				received.add(value);
			}

			@Override
			public void onError(Throwable error) {
			}

			@Override
			public void onCompleted() {
			}

		};
	}

}
