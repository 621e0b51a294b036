package io.jcilium.cli.hubble;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Timestamp;
import io.jcilium.api.hubble.flow.CiliumEventType;
import io.jcilium.api.hubble.flow.DropReason;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.ICMPv4;
import io.jcilium.api.hubble.flow.IP;
import io.jcilium.api.hubble.flow.IPVersion;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.TCP;
import io.jcilium.api.hubble.flow.TCPFlags;
import io.jcilium.api.hubble.flow.TraceObservationPoint;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.UDP;
import io.jcilium.api.hubble.flow.Verdict;

/**
 * Flows as the agent sends them: a connection from shop/frontend to shop/backend (SYN,
 * SYN-ACK reply), a policy drop from the world, a policy verdict and an ICMP echo between
 * addresses without pods, from Dec 5 07:23:41 UTC on.
 */
final class TestFlows {

	static final long SECONDS = 1_764_919_421L;

	private TestFlows() {
	}

	static Flow syn() {
		return trace(123_000_000, false, "10.0.1.5", 43210, "10.0.2.7", 8080, TCPFlags.newBuilder().setSYN(true))
			.setSource(frontend())
			.setDestination(backend())
			.build();
	}

	static Flow synAck() {
		return trace(124_000_000, true, "10.0.2.7", 8080, "10.0.1.5", 43210,
				TCPFlags.newBuilder().setSYN(true).setACK(true))
			.setSource(backend())
			.setDestination(frontend())
			.build();
	}

	static Flow policyDrop() {
		return Flow.newBuilder()
			.setTime(time(500_000_000))
			.setVerdict(Verdict.DROPPED)
			.setDropReason(133)
			.setDropReasonDesc(DropReason.POLICY_DENIED)
			.setEventType(CiliumEventType.newBuilder().setType(1).setSubType(133))
			.setTrafficDirection(TrafficDirection.INGRESS)
			.setIP(IP.newBuilder().setSource("203.0.113.9").setDestination("10.0.2.7").setIpVersion(IPVersion.IPv4))
			.setL4(Layer4.newBuilder().setUDP(UDP.newBuilder().setSourcePort(5353).setDestinationPort(53)))
			.setSource(Endpoint.newBuilder().setIdentity(2).addLabels("reserved:world"))
			.setDestination(backend())
			.build();
	}

	static Flow verdict() {
		return syn().toBuilder()
			.setTime(time(123_500_000))
			.setEventType(CiliumEventType.newBuilder().setType(5))
			.clearTraceObservationPoint()
			.setPolicyMatchType(2)
			.build();
	}

	static Flow echo() {
		return Flow.newBuilder()
			.setTime(time(900_000_000))
			.setVerdict(Verdict.FORWARDED)
			.setEventType(CiliumEventType.newBuilder().setType(4).setSubType(3))
			.setTraceObservationPoint(TraceObservationPoint.TO_STACK)
			.setTrafficDirection(TrafficDirection.EGRESS)
			.setIsReply(BoolValue.of(false))
			.setIP(IP.newBuilder().setSource("10.0.1.5").setDestination("10.0.2.7").setIpVersion(IPVersion.IPv4))
			.setL4(Layer4.newBuilder().setICMPv4(ICMPv4.newBuilder().setType(8)))
			.setSource(Endpoint.newBuilder().setIdentity(12345))
			.setDestination(Endpoint.newBuilder().setIdentity(23456))
			.build();
	}

	private static Flow.Builder trace(int nanos, boolean reply, String source, int sourcePort, String destination,
			int destinationPort, TCPFlags.Builder flags) {
		return Flow.newBuilder()
			.setTime(time(nanos))
			.setVerdict(Verdict.FORWARDED)
			.setEventType(CiliumEventType.newBuilder().setType(4))
			.setTraceObservationPoint(TraceObservationPoint.TO_ENDPOINT)
			.setTrafficDirection(TrafficDirection.INGRESS)
			.setIsReply(BoolValue.of(reply))
			.setNodeName("kind-worker")
			.setIP(IP.newBuilder().setSource(source).setDestination(destination).setIpVersion(IPVersion.IPv4))
			.setL4(Layer4.newBuilder()
				.setTCP(TCP.newBuilder()
					.setSourcePort(sourcePort)
					.setDestinationPort(destinationPort)
					.setFlags(flags)));
	}

	private static Endpoint frontend() {
		return Endpoint.newBuilder()
			.setID(12)
			.setIdentity(12345)
			.setNamespace("shop")
			.setPodName("frontend")
			.addLabels("k8s:app=frontend")
			.build();
	}

	private static Endpoint backend() {
		return Endpoint.newBuilder()
			.setID(7)
			.setIdentity(23456)
			.setNamespace("shop")
			.setPodName("backend")
			.addLabels("k8s:app=backend")
			.build();
	}

	static Timestamp time(int nanos) {
		return Timestamp.newBuilder().setSeconds(SECONDS).setNanos(nanos).build();
	}

}
