package io.jcilium.agent.datapath.events;

import java.net.Inet6Address;
import java.util.function.LongSupplier;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Timestamp;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.api.hubble.flow.CiliumEventType;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Ethernet;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.FlowType;
import io.jcilium.api.hubble.flow.IP;
import io.jcilium.api.hubble.flow.IPVersion;
import io.jcilium.api.hubble.flow.NetworkInterface;
import io.jcilium.api.hubble.flow.TraceObservationPoint;
import io.jcilium.api.hubble.flow.TraceReason;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.Verdict;

/**
 * Turns one datapath event into a Hubble flow with what the event itself says, the way
 * upstream's L3/L4 parser reads its monitor events: drops are {@code DROPPED} with the
 * reason, traces {@code FORWARDED} at their observation point with the conntrack state as
 * trace reason, policy verdicts either. Pods, labels and the node are the observer's to
 * add.
 */
final class FlowDecoder {

	/** Conntrack states in trace and verdict events ({@code enum ct_status}). */
	private static final int CT_REPLY = 2;

	private static final int CT_RELATED = 3;

	private final EventClock clock;

	FlowDecoder(LongSupplier monotonicNanos) {
		this.clock = new EventClock(monotonicNanos);
	}

	Flow decode(DatapathEvent event) {
		DatapathStructs.EventHeader header = event.header();
		Flow.Builder flow = Flow.newBuilder()
			.setTime(timestamp(this.clock.epochNanos(header.ktimeNs())))
			.setType(FlowType.L3_L4)
			.setEventType(CiliumEventType.newBuilder()
				.setType(header.type())
				// Upstream's policy verdict notifications carry sub type 0; ours carries
				// the drop reason there, which the flow has in its own fields.
				.setSubType((event.type() == EventType.POLICY_VERDICT) ? 0 : header.subtype()));
		if (header.ifindex() != 0) {
			flow.setInterface(NetworkInterface.newBuilder().setIndex(header.ifindex()));
		}
		boolean egress = event.egress();
		Endpoint.Builder local = Endpoint.newBuilder().setID(header.source());
		Endpoint.Builder source = egress ? local : Endpoint.newBuilder();
		Endpoint.Builder destination = egress ? Endpoint.newBuilder().setID(header.destinationEndpointId()) : local;
		flow.setSource(source.setIdentity(header.sourceIdentity()))
			.setDestination(destination.setIdentity(header.destinationIdentity()));
		packet(flow, event);
		switch (event.type()) {
			case DROP -> dropped(flow, header.subtype()).setTrafficDirection(direction(egress));
			case TRACE -> trace(flow, header, egress);
			case POLICY_VERDICT -> verdict(flow, event, egress);
			case UNKNOWN -> flow.setVerdict(Verdict.VERDICT_UNKNOWN);
		}
		return flow.build();
	}

	private static void trace(Flow.Builder flow, DatapathStructs.EventHeader header, boolean egress) {
		int state = header.reason();
		boolean reply = state == CT_REPLY;
		flow.setVerdict(Verdict.FORWARDED)
			.setTraceObservationPoint(observationPoint(header.observationPoint()))
			.setTraceReason(traceReason(state))
			// A reply travels against its connection: upstream names the direction of the
			// connection, not of the packet.
			.setTrafficDirection(direction(egress != reply))
			.setIsReply(BoolValue.of(reply))
			.setReply(reply);
	}

	private static void verdict(Flow.Builder flow, DatapathEvent event, boolean egress) {
		if (event.allowed()) {
			flow.setVerdict(Verdict.FORWARDED);
		}
		else {
			dropped(flow, event.header().subtype());
		}
		// Verdicts are only emitted for new connections, so never a reply.
		flow.setPolicyMatchType(event.header().matchType())
			.setTrafficDirection(direction(egress))
			.setIsReply(BoolValue.of(false));
	}

	private static Flow.Builder dropped(Flow.Builder flow, int reason) {
		io.jcilium.api.hubble.flow.DropReason described = io.jcilium.api.hubble.flow.DropReason.forNumber(reason);
		return flow.setVerdict(Verdict.DROPPED)
			.setDropReason(reason)
			.setDropReasonDesc(
					(described != null) ? described : io.jcilium.api.hubble.flow.DropReason.DROP_REASON_UNKNOWN);
	}

	private static void packet(Flow.Builder flow, DatapathEvent event) {
		byte[] data = event.header().data();
		if (data.length >= 12) {
			flow.setEthernet(Ethernet.newBuilder().setDestination(mac(data, 0)).setSource(mac(data, 6)));
		}
		if (event.source() == null || event.destination() == null) {
			return;
		}
		flow.setIP(IP.newBuilder()
			.setSource(event.source().getHostAddress())
			.setDestination(event.destination().getHostAddress())
			.setIpVersion((event.source() instanceof Inet6Address) ? IPVersion.IPv6 : IPVersion.IPv4));
		PacketLayer4.describe(event).ifPresent(flow::setL4);
	}

	static TraceObservationPoint observationPoint(int point) {
		return switch (point) {
			case DatapathEvent.TRACE_TO_LXC -> TraceObservationPoint.TO_ENDPOINT;
			case DatapathEvent.TRACE_FROM_LXC -> TraceObservationPoint.FROM_ENDPOINT;
			case DatapathEvent.TRACE_TO_OVERLAY -> TraceObservationPoint.TO_OVERLAY;
			case DatapathEvent.TRACE_FROM_OVERLAY -> TraceObservationPoint.FROM_OVERLAY;
			default -> TraceObservationPoint.UNKNOWN_POINT;
		};
	}

	private static TraceReason traceReason(int state) {
		return switch (state) {
			case 0 -> TraceReason.NEW;
			case 1 -> TraceReason.ESTABLISHED;
			case CT_REPLY -> TraceReason.REPLY;
			case CT_RELATED -> TraceReason.RELATED;
			default -> TraceReason.TRACE_REASON_UNKNOWN;
		};
	}

	private static TrafficDirection direction(boolean egress) {
		return egress ? TrafficDirection.EGRESS : TrafficDirection.INGRESS;
	}

	private static Timestamp timestamp(long epochNanos) {
		return Timestamp.newBuilder()
			.setSeconds(Math.floorDiv(epochNanos, 1_000_000_000L))
			.setNanos((int) Math.floorMod(epochNanos, 1_000_000_000L))
			.build();
	}

	private static String mac(byte[] data, int offset) {
		StringBuilder text = new StringBuilder(17);
		for (int i = 0; i < 6; i++) {
			if (i > 0) {
				text.append(':');
			}
			text.append(Character.forDigit((data[offset + i] >> 4) & 0xf, 16))
				.append(Character.forDigit(data[offset + i] & 0xf, 16));
		}
		return text.toString();
	}

}
