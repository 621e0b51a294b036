package io.jcilium.api.hubble;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.LostEvent;
import io.jcilium.api.hubble.flow.LostEventSource;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.GetNodesResponse;
import io.jcilium.api.hubble.observer.Node;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import io.jcilium.api.hubble.peer.ChangeNotification;
import io.jcilium.api.hubble.peer.ChangeNotificationType;
import io.jcilium.api.hubble.peer.TLS;
import io.jcilium.api.hubble.relay.NodeState;
import io.jcilium.api.hubble.relay.NodeStatusEvent;
import io.jcilium.testsupport.WireFields;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The smaller Hubble messages (observer responses, peer notifications, relay node status)
 * against upstream Cilium's field numbers, written out by hand from upstream's .proto
 * files.
 */
class HubbleServiceMessagesWireTest {

	@Test
	void serverStatusFromUpstreamDecodes() throws InvalidProtocolBufferException {
		byte[] upstreamBytes = new WireWriter().varint(1, 4095) // num_flows
			.varint(2, 4095) // max_flows
			.varint(3, 120_000) // seen_flows
			.varint(4, 3_600_000_000_000L) // uptime_ns
			.message(5, new WireWriter().varint(1, 3)) // num_connected_nodes
			.message(6, new WireWriter()) // num_unavailable_nodes = 0, but present
			.string(7, "kind-worker2") // unavailable_nodes
			.string(8, "1.17.0") // version
			.doubleValue(9, 12.5) // flows_rate
			.toByteArray();

		ServerStatusResponse status = ServerStatusResponse.parseFrom(upstreamBytes);

		assertThat(status.getNumFlows()).isEqualTo(4095);
		assertThat(status.getMaxFlows()).isEqualTo(4095);
		assertThat(status.getSeenFlows()).isEqualTo(120_000);
		assertThat(status.getUptimeNs()).isEqualTo(3_600_000_000_000L);
		assertThat(status.getNumConnectedNodes().getValue()).isEqualTo(3);
		assertThat(status.hasNumUnavailableNodes()).isTrue();
		assertThat(status.getNumUnavailableNodes().getValue()).isZero();
		assertThat(status.getUnavailableNodesList()).containsExactly("kind-worker2");
		assertThat(status.getVersion()).isEqualTo("1.17.0");
		assertThat(status.getFlowsRate()).isEqualTo(12.5);
		assertThat(status.getUnknownFields().asMap()).isEmpty();
	}

	@Test
	void getNodesFromUpstreamDecodes() throws InvalidProtocolBufferException {
		byte[] upstreamBytes = new WireWriter().message(1, new WireWriter().string(1, "kind/kind-worker") // name
			.string(2, "1.17.0") // version
			.string(3, "172.18.0.3:4244") // address
			.varint(4, 2) // state = NODE_UNAVAILABLE
			.message(5, new WireWriter().bool(1, true).string(2, "kind-worker.kind.hubble-grpc.cilium.io")) // tls
			.varint(6, 42) // uptime_ns
			.varint(7, 10) // num_flows
			.varint(8, 4095) // max_flows
			.varint(9, 99)) // seen_flows
			.toByteArray();

		Node node = GetNodesResponse.parseFrom(upstreamBytes).getNodes(0);

		assertThat(node.getName()).isEqualTo("kind/kind-worker");
		assertThat(node.getVersion()).isEqualTo("1.17.0");
		assertThat(node.getAddress()).isEqualTo("172.18.0.3:4244");
		assertThat(node.getState()).isEqualTo(NodeState.NODE_UNAVAILABLE);
		assertThat(node.getTls().getEnabled()).isTrue();
		assertThat(node.getTls().getServerName()).isEqualTo("kind-worker.kind.hubble-grpc.cilium.io");
		assertThat(node.getUptimeNs()).isEqualTo(42);
		assertThat(node.getNumFlows()).isEqualTo(10);
		assertThat(node.getMaxFlows()).isEqualTo(4095);
		assertThat(node.getSeenFlows()).isEqualTo(99);
	}

	@Test
	void peerChangeNotificationMatchesUpstreamBothWays() throws InvalidProtocolBufferException {
		byte[] upstreamBytes = new WireWriter().string(1, "kind/kind-worker") // name
			.string(2, "172.18.0.3:4244") // address
			.varint(3, 2) // type = PEER_DELETED
			.message(4, new WireWriter().string(1, "kind-worker.kind.hubble-grpc.cilium.io")) // tls
			.toByteArray();

		ChangeNotification decoded = ChangeNotification.parseFrom(upstreamBytes);
		assertThat(decoded.getName()).isEqualTo("kind/kind-worker");
		assertThat(decoded.getAddress()).isEqualTo("172.18.0.3:4244");
		assertThat(decoded.getType()).isEqualTo(ChangeNotificationType.PEER_DELETED);
		assertThat(decoded.getTls().getServerName()).isEqualTo("kind-worker.kind.hubble-grpc.cilium.io");

		ChangeNotification ours = ChangeNotification.newBuilder()
			.setName("kind-control-plane")
			.setAddress("172.18.0.2:4244")
			.setType(ChangeNotificationType.PEER_ADDED)
			.setTls(TLS.newBuilder().setServerName("kind-control-plane.kind.hubble-grpc.cilium.io"))
			.build();
		WireFields wire = WireFields.parse(ours.toByteArray());
		assertThat(wire.string(1)).isEqualTo("kind-control-plane");
		assertThat(wire.string(2)).isEqualTo("172.18.0.2:4244");
		assertThat(wire.varint(3)).isEqualTo(1);
		assertThat(wire.message(4).string(1)).isEqualTo("kind-control-plane.kind.hubble-grpc.cilium.io");
	}

	@Test
	void getFlowsResponsesWeSendCarryUpstreamFieldNumbers() {
		GetFlowsResponse flowResponse = GetFlowsResponse.newBuilder()
			.setFlow(Flow.newBuilder().setVerdict(Verdict.FORWARDED))
			.setNodeName("kind-worker")
			.setTime(Timestamp.newBuilder().setSeconds(1_700_000_000L))
			.build();
		GetFlowsResponse statusResponse = GetFlowsResponse.newBuilder()
			.setNodeStatus(NodeStatusEvent.newBuilder()
				.setStateChange(NodeState.NODE_GONE)
				.addNodeNames("kind-worker2")
				.setMessage("node left the cluster"))
			.build();
		GetFlowsResponse lostResponse = GetFlowsResponse.newBuilder()
			.setLostEvents(LostEvent.newBuilder().setSource(LostEventSource.HUBBLE_RING_BUFFER).setNumEventsLost(7))
			.build();

		WireFields flowWire = WireFields.parse(flowResponse.toByteArray());
		assertThat(flowWire.message(1).varint(2)).as("flow.verdict").isEqualTo(1);
		assertThat(flowWire.string(1000)).isEqualTo("kind-worker");
		assertThat(flowWire.message(1001).varint(1)).isEqualTo(1_700_000_000L);
		WireFields status = WireFields.parse(statusResponse.toByteArray()).message(2);
		assertThat(status.varint(1)).as("NODE_GONE").isEqualTo(3);
		assertThat(status.strings(2)).containsExactly("kind-worker2");
		assertThat(status.string(3)).isEqualTo("node left the cluster");
		WireFields lost = WireFields.parse(lostResponse.toByteArray()).message(3);
		assertThat(lost.varint(1)).as("HUBBLE_RING_BUFFER").isEqualTo(3);
		assertThat(lost.varint(2)).isEqualTo(7);
	}

}
