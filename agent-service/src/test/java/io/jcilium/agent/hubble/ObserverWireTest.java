package io.jcilium.agent.hubble;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.events.DatapathEvent;
import io.jcilium.agent.datapath.events.FlowForwarder;
import io.jcilium.agent.endpoint.EndpointStatus;
import io.jcilium.agent.hubble.enrich.FlowEnricher;
import io.jcilium.agent.hubble.enrich.LocalEndpoints;
import io.jcilium.agent.hubble.ring.FlowRing;
import io.jcilium.api.hubble.flow.LostEventSource;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.testsupport.WireFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What our Observer sends, read back by field number only against upstream Cilium's
 * api/v1/observer/observer.proto and api/v1/flow/flow.proto (numbers written out by hand,
 * never taken from our generated classes): a datapath drop and trace, decoded, enriched,
 * and served through GetFlows, reach an upstream client with every value on upstream's
 * field.
 */
class ObserverWireTest {

	private static final long MONOTONIC_NOW = 5_000_000_000L;

	private final List<AutoCloseable> closing = new ArrayList<>();

	private LocalObserver observer;

	private FlowForwarder forwarder;

	private ObserverGrpc.ObserverBlockingStub client;

	@BeforeEach
	void setUp() throws Exception {
		LocalEndpoints endpoints = new LocalEndpoints();
		endpoints.endpointChanged(new EndpointStatus(1, "c1", "eth0", "lxc1", 11, "shop", "backend-5f9", "10.0.0.1",
				3101, "ready", "test"));
		endpoints.endpointChanged(new EndpointStatus(3, "c3", "eth0", "lxc3", 13, "shop", "attacker-0", "10.0.0.3",
				3103, "ready", "test"));
		this.observer = new LocalObserver(new FlowRing(4095), new FlowEnricher("kind-worker", endpoints,
				(id) -> List.of("k8s:app=" + id, "k8s:io.kubernetes.pod.namespace=shop")), Clock.systemUTC());
		this.forwarder = new FlowForwarder(() -> List.of(this.observer), () -> MONOTONIC_NOW);
		FlowStreams streams = new FlowStreams(2);
		String name = InProcessServerBuilder.generateName();
		Server server = InProcessServerBuilder.forName(name)
			.addService(new ObserverService(this.observer, streams, "kind-worker", "test", ""))
			.build()
			.start();
		ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
		this.closing.add(channel::shutdownNow);
		this.closing.add(server::shutdownNow);
		this.closing.add(streams::stop);
		this.client = ObserverGrpc.newBlockingStub(channel);
	}

	@AfterEach
	void tearDown() throws Exception {
		for (AutoCloseable closeable : this.closing) {
			closeable.close();
		}
	}

	@Test
	void aPolicyDropReachesAnUpstreamClientOnUpstreamsFieldNumbers() {
		// DROP_POLICY (133) at endpoint 1's ingress of the attacker's SYN
		byte[] syn = Packets.tcp("10.0.0.3", "10.0.0.1", 40000, 8080, Packets.TCP_SYN);
		this.forwarder.onEvent(DatapathEvent.decode(event(1, 133, 0, 0, 3103, 3101, 133, syn)));

		WireFields response = WireFields.parse(only().toByteArray());
		assertThat(response.string(1000)).isEqualTo("kind-worker"); // node_name
		assertThat(response.has(1001)).isTrue(); // time
		WireFields flow = response.message(1); // flow
		assertThat(flow.has(1)).isTrue(); // time
		assertThat(flow.varint(2)).isEqualTo(2); // verdict = DROPPED
		assertThat(flow.varint(3)).isEqualTo(133); // drop_reason
		assertThat(flow.varint(25)).isEqualTo(133); // drop_reason_desc = POLICY_DENIED
		assertThat(flow.varint(10)).isEqualTo(1); // Type = L3_L4
		assertThat(flow.string(11)).isEqualTo("kind-worker"); // node_name
		assertThat(flow.varint(22)).isEqualTo(1); // traffic_direction = INGRESS
		WireFields eventType = flow.message(19); // event_type
		assertThat(eventType.varint(1)).isEqualTo(1); // type = drop
		assertThat(eventType.varint(2)).isEqualTo(133); // sub_type
		WireFields ip = flow.message(5); // IP
		assertThat(ip.string(1)).isEqualTo("10.0.0.3"); // source
		assertThat(ip.string(2)).isEqualTo("10.0.0.1"); // destination
		assertThat(ip.varint(3)).isEqualTo(1); // ipVersion = IPv4
		WireFields tcp = flow.message(6).message(1); // l4.TCP
		assertThat(tcp.varint(1)).isEqualTo(40000); // source_port
		assertThat(tcp.varint(2)).isEqualTo(8080); // destination_port
		assertThat(tcp.message(3).varint(2)).isEqualTo(1); // flags.SYN
		assertThat(tcp.message(3).has(5)).isFalse(); // flags.ACK
		WireFields source = flow.message(8);
		assertThat(source.varint(1)).isEqualTo(3); // ID
		assertThat(source.varint(2)).isEqualTo(3103); // identity
		assertThat(source.string(3)).isEqualTo("shop"); // namespace
		assertThat(source.strings(4)).contains("k8s:app=3103"); // labels
		assertThat(source.string(5)).isEqualTo("attacker-0"); // pod_name
		WireFields destination = flow.message(9);
		assertThat(destination.varint(1)).isEqualTo(1);
		assertThat(destination.varint(2)).isEqualTo(3101);
		assertThat(destination.string(5)).isEqualTo("backend-5f9");
		WireFields ethernet = flow.message(4);
		assertThat(ethernet.string(1)).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"); // source
		assertThat(flow.message(28).varint(1)).isEqualTo(11); // interface.index
		assertThat(flow.message(28).string(2)).isEqualTo("lxc1"); // interface.name
		assertThat(flow.has(26)).as("is_reply unknown for drops, as upstream").isFalse();
	}

	@Test
	void aTraceCarriesItsObservationPointReasonAndReplyOnUpstreamsNumbers() {
		// TRACE at endpoint 1's to-container (TRACE_TO_LXC, CT_NEW), forwarded
		byte[] syn = Packets.tcp("10.0.0.3", "10.0.0.1", 40001, 8080, Packets.TCP_SYN);
		this.forwarder.onEvent(DatapathEvent.decode(event(4, 0, 0, DatapathEvent.TRACE_TO_LXC, 3103, 3101, 0, syn)));

		WireFields flow = WireFields.parse(only().toByteArray()).message(1);
		assertThat(flow.varint(2)).isEqualTo(1); // verdict = FORWARDED
		assertThat(flow.varint(24)).isEqualTo(101); // trace_observation_point =
													// TO_ENDPOINT
		assertThat(flow.varint(36)).isEqualTo(1); // trace_reason = NEW
		assertThat(flow.message(26).has(1)).as("is_reply = false, present").isFalse(); // is_reply
		assertThat(flow.has(26)).isTrue();
		assertThat(flow.message(19).varint(1)).isEqualTo(4); // event_type.type = trace
		assertThat(flow.has(25)).isFalse(); // no drop reason
	}

	@Test
	void lostEventsReachAnUpstreamClientOnUpstreamsFieldNumbers() {
		this.observer.lost(LostEventSource.PERF_EVENT_RING_BUFFER, 17);

		WireFields lost = WireFields.parse(only().toByteArray()).message(3); // lost_events
		assertThat(lost.varint(1)).isEqualTo(1); // source = PERF_EVENT_RING_BUFFER
		assertThat(lost.varint(2)).isEqualTo(17); // num_events_lost
	}

	private GetFlowsResponse only() {
		List<GetFlowsResponse> responses = new ArrayList<>();
		this.client.getFlows(GetFlowsRequest.getDefaultInstance()).forEachRemaining(responses::add);
		assertThat(responses).hasSize(1);
		return responses.get(0);
	}

	/** A ring-buffer record as bpf_lxc writes it ({@code struct event_hdr}, x86-64). */
	private static byte[] event(int type, int subtype, int flags, int observationPoint, int sourceIdentity,
			int destinationIdentity, int reason, byte[] frame) {
		int captured = Math.min(frame.length, 128);
		ByteBuffer b = ByteBuffer.allocate(48 + 128).order(ByteOrder.LITTLE_ENDIAN);
		b.put(0, (byte) type).put(1, (byte) subtype).putShort(2, (short) 1).putInt(8, frame.length);
		b.putShort(12, (short) captured).putShort(14, (short) 1).putInt(16, sourceIdentity);
		b.putInt(20, destinationIdentity).putShort(24, (short) 1).put(26, (byte) observationPoint);
		b.put(27, (byte) flags).putInt(28, 11).put(32, (byte) reason).put(34, (byte) 6);
		b.putLong(40, MONOTONIC_NOW - 1_000_000);
		b.put(48, frame, 0, captured);
		return b.array();
	}

}
