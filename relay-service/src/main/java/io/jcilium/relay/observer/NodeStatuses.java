package io.jcilium.relay.observer;

import java.time.Instant;
import java.util.List;

import com.google.protobuf.Timestamp;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.relay.NodeState;
import io.jcilium.api.hubble.relay.NodeStatusEvent;

/** The {@code node_status} responses the relay puts into a {@code GetFlows} stream. */
final class NodeStatuses {

	private NodeStatuses() {
	}

	static GetFlowsResponse event(NodeState state, List<String> nodes, String message) {
		Instant now = Instant.now();
		return GetFlowsResponse.newBuilder()
			.setNodeStatus(NodeStatusEvent.newBuilder()
				.setStateChange(state)
				.addAllNodeNames(nodes)
				.setMessage((message != null) ? message : ""))
			.setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
			.build();
	}

}
