package io.jcilium.agent.hubble;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Timestamp;
import io.jcilium.agent.endpoint.EndpointStatus;
import io.jcilium.agent.hubble.enrich.CachedIdentityLabels;
import io.jcilium.agent.hubble.enrich.FlowEnricher;
import io.jcilium.agent.hubble.enrich.LocalEndpoints;
import io.jcilium.agent.hubble.metrics.FlowMetrics;
import io.jcilium.agent.hubble.ring.FlowRing;
import io.jcilium.api.hubble.flow.CiliumEventType;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.IP;
import io.jcilium.api.hubble.flow.IPVersion;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.TCP;
import io.jcilium.api.hubble.flow.TCPFlags;
import io.jcilium.api.hubble.flow.TraceObservationPoint;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.common.label.Labels;

/**
 * What the Hubble benchmarks share: an observer set up as the agent sets it up
 * (endpoints, cached identity labels, metrics as given) and flows as the datapath decodes
 * them.
 */
final class BenchFlows {

	static final int SERVER_IDENTITY = 4101;

	private BenchFlows() {
	}

	static LocalObserver observer(int capacity, FlowMetrics metrics) {
		LocalEndpoints endpoints = new LocalEndpoints();
		endpoints.endpointChanged(new EndpointStatus(1, "c1", "eth0", "lxc1", 11, "shop", "backend-5f9c7-x2x9q",
				"10.9.0.1", SERVER_IDENTITY, "ready", "bench"));
		endpoints.endpointChanged(new EndpointStatus(2, "c2", "eth0", "lxc2", 12, "shop", "frontend-7d9f8-abcde",
				"10.9.0.2", 4102, "ready", "bench"));
		Map<Long, Labels> identities = Map.of((long) SERVER_IDENTITY,
				Labels.parse(java.util.List.of("k8s:app=backend", "k8s:io.kubernetes.pod.namespace=shop")), 4102L,
				Labels.parse(java.util.List.of("k8s:app=frontend", "k8s:io.kubernetes.pod.namespace=shop")), 2L,
				Labels.parse(java.util.List.of("reserved:world")));
		FlowEnricher enricher = new FlowEnricher("bench-node", endpoints,
				new CachedIdentityLabels((id) -> Optional.ofNullable(identities.get(id))));
		return new LocalObserver(new FlowRing(capacity), enricher, Clock.systemUTC(), metrics);
	}

	/** A TCP packet from the frontend to the backend as the datapath decodes it. */
	static Flow decoded(long n) {
		return Flow.newBuilder()
			.setTime(Timestamp.newBuilder().setSeconds(1_764_900_000L + n / 1000).setNanos((int) (n % 1000) * 1000))
			.setVerdict(Verdict.FORWARDED)
			.setEventType(CiliumEventType.newBuilder().setType(4))
			.setTraceObservationPoint(TraceObservationPoint.TO_ENDPOINT)
			.setTrafficDirection(TrafficDirection.INGRESS)
			.setIsReply(BoolValue.of(false))
			.setIP(IP.newBuilder().setSource("10.9.0.2").setDestination("10.9.0.1").setIpVersion(IPVersion.IPv4))
			.setL4(Layer4.newBuilder()
				.setTCP(TCP.newBuilder()
					.setSourcePort(40000 + (int) (n % 20000))
					.setDestinationPort(8080)
					.setFlags(TCPFlags.newBuilder().setSYN(n % 2 == 0).setACK(n % 2 == 1))))
			.setSource(Endpoint.newBuilder().setID(2).setIdentity(4102))
			.setDestination(Endpoint.newBuilder().setID(1).setIdentity(SERVER_IDENTITY))
			.build();
	}

}
