package io.jcilium.agent.hubble.metrics;

import java.util.List;

import com.google.protobuf.BoolValue;
import io.jcilium.api.hubble.flow.CiliumEventType;
import io.jcilium.api.hubble.flow.DropReason;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.IP;
import io.jcilium.api.hubble.flow.IPVersion;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.LostEventSource;
import io.jcilium.api.hubble.flow.TCP;
import io.jcilium.api.hubble.flow.TCPFlags;
import io.jcilium.api.hubble.flow.TraceObservationPoint;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.UDP;
import io.jcilium.api.hubble.flow.Verdict;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The metrics as Prometheus scrapes them: upstream's names, labels and label values for a
 * forwarded SYN, its SYN-ACK reply, a policy drop and a policy verdict; label contexts;
 * and the cap on label sets, which counts what it leaves out.
 */
class FlowMetricsTest {

	private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	@Test
	void countsFlowsWithUpstreamNamesAndLabels() {
		FlowMetrics metrics = FlowMetrics.create(List.of("flow", "drop", "policy", "tcp", "port-distribution"), 100,
				this.registry);
		metrics.flow(syn("frontend-7d9f8-abcde", 43210, 8080));
		metrics.flow(synAck());
		metrics.flow(policyDrop());
		metrics.flow(verdict(Verdict.FORWARDED, 2));
		metrics.lost(LostEventSource.PERF_EVENT_RING_BUFFER, 7);

		String scrape = this.registry.scrape();
		assertThat(scrape)
			.contains("hubble_flows_processed_total{protocol=\"TCP\",subtype=\"to-endpoint\",type=\"Trace\","
					+ "verdict=\"FORWARDED\"} 2.0")
			.contains(
					"hubble_flows_processed_total{protocol=\"UDP\",subtype=\"\",type=\"Drop\",verdict=\"DROPPED\"} 1.0")
			.contains("hubble_flows_processed_total{protocol=\"TCP\",subtype=\"\",type=\"PolicyVerdict\","
					+ "verdict=\"FORWARDED\"} 1.0")
			.contains("hubble_drop_total{protocol=\"UDP\",reason=\"POLICY_DENIED\"} 1.0")
			.contains("hubble_policy_verdicts_total{action=\"forwarded\",direction=\"ingress\",match=\"l3-l4\"} 1.0")
			.contains("hubble_tcp_flags_total{family=\"IPv4\",flag=\"SYN\"} 1.0")
			.contains("hubble_tcp_flags_total{family=\"IPv4\",flag=\"SYN-ACK\"} 1.0")
			// The SYN and the verdict (upstream counts both); the reply's destination
			// port
			// is the client's: not counted.
			.contains("hubble_port_distribution_total{port=\"8080\",protocol=\"TCP\"} 2.0")
			.doesNotContain("port=\"43210\"")
			.contains("hubble_lost_events_total{source=\"perf_event_ring_buffer\"} 7.0");
	}

	@Test
	void labelContextsNameTheSidesAsConfigured() {
		FlowMetrics metrics = FlowMetrics.create(List.of("drop:sourceContext=pod|identity;destinationContext=namespace",
				"flow:labelsContext=source_namespace,destination_app,traffic_direction"), 100, this.registry);
		metrics.flow(policyDrop());
		metrics.flow(syn("frontend-7d9f8-abcde", 43210, 8080));

		assertThat(this.registry.scrape())
			// The drop's source has no pod: its identity labels are the first non-empty
			// context.
			.contains("hubble_drop_total{destination=\"shop\",protocol=\"UDP\",reason=\"POLICY_DENIED\","
					+ "source=\"reserved:world\"} 1.0")
			.contains("hubble_flows_processed_total{destination_app=\"backend\",protocol=\"TCP\","
					+ "source_namespace=\"shop\",subtype=\"to-endpoint\",traffic_direction=\"ingress\",type=\"Trace\","
					+ "verdict=\"FORWARDED\"} 1.0");
	}

	@Test
	void theCapOnLabelSetsCountsWhatItLeavesOut() {
		FlowMetrics metrics = FlowMetrics.create(List.of("port-distribution:sourceContext=pod"), 3, this.registry);
		for (int port = 1; port <= 5; port++) {
			metrics.flow(syn("frontend-" + port, 40000, port));
		}
		metrics.flow(syn("frontend-1", 40000, 1));

		String scrape = this.registry.scrape();
		assertThat(scrape.lines().filter((line) -> line.startsWith("hubble_port_distribution_total{"))).hasSize(3);
		assertThat(scrape)
			.contains("hubble_port_distribution_total{port=\"1\",protocol=\"TCP\",source=\"shop/frontend-1\"} 2.0")
			.contains("hubble_metrics_over_label_limit_total{metric=\"hubble_port_distribution_total\"} 2.0");
	}

	@Test
	void badDefinitionsAreRejectedNamingWhatIsWrong() {
		assertThatThrownBy(() -> FlowMetrics.validate(List.of("flows"))).hasMessageContaining("unknown metric 'flows'");
		assertThatThrownBy(() -> FlowMetrics.validate(List.of("drop:sourceContext=namespace|podd")))
			.hasMessageContaining("unknown context 'podd'");
		assertThatThrownBy(() -> FlowMetrics.validate(List.of("flow:labelsContext=source_pod,nope")))
			.hasMessageContaining("invalid labelsContext value 'nope'");
		assertThatThrownBy(() -> FlowMetrics.validate(List.of("tcp:sourceContext"))).hasMessageContaining("name=value");
		assertThatThrownBy(() -> new HubbleMetricsProperties(List.of("drop:destinationEgressContext=pod"), 10))
			.hasMessageStartingWith("jcilium.agent.hubble.metrics.enabled: unknown option 'destinationEgressContext'");
	}

	private static Flow syn(String sourcePod, int sourcePort, int destinationPort) {
		return Flow.newBuilder()
			.setVerdict(Verdict.FORWARDED)
			.setEventType(CiliumEventType.newBuilder().setType(4).setSubType(0))
			.setTraceObservationPoint(TraceObservationPoint.TO_ENDPOINT)
			.setTrafficDirection(TrafficDirection.INGRESS)
			.setIsReply(BoolValue.of(false))
			.setIP(IP.newBuilder().setSource("10.0.1.5").setDestination("10.0.2.7").setIpVersion(IPVersion.IPv4))
			.setL4(Layer4.newBuilder()
				.setTCP(TCP.newBuilder()
					.setSourcePort(sourcePort)
					.setDestinationPort(destinationPort)
					.setFlags(TCPFlags.newBuilder().setSYN(true))))
			.setSource(Endpoint.newBuilder()
				.setIdentity(12345)
				.setNamespace("shop")
				.setPodName(sourcePod)
				.addLabels("k8s:app=frontend"))
			.setDestination(Endpoint.newBuilder()
				.setIdentity(23456)
				.setNamespace("shop")
				.setPodName("backend-0")
				.addLabels("k8s:app=backend"))
			.build();
	}

	private static Flow synAck() {
		Flow syn = syn("frontend-7d9f8-abcde", 43210, 8080);
		return syn.toBuilder()
			.setIsReply(BoolValue.of(true))
			.setSource(syn.getDestination())
			.setDestination(syn.getSource())
			.setL4(Layer4.newBuilder()
				.setTCP(TCP.newBuilder()
					.setSourcePort(8080)
					.setDestinationPort(43210)
					.setFlags(TCPFlags.newBuilder().setSYN(true).setACK(true))))
			.build();
	}

	private static Flow policyDrop() {
		return Flow.newBuilder()
			.setVerdict(Verdict.DROPPED)
			.setDropReason(133)
			.setDropReasonDesc(DropReason.POLICY_DENIED)
			.setEventType(CiliumEventType.newBuilder().setType(1).setSubType(133))
			.setTrafficDirection(TrafficDirection.INGRESS)
			.setIP(IP.newBuilder().setSource("203.0.113.9").setDestination("10.0.2.7").setIpVersion(IPVersion.IPv4))
			.setL4(Layer4.newBuilder().setUDP(UDP.newBuilder().setSourcePort(5353).setDestinationPort(53)))
			.setSource(Endpoint.newBuilder().setIdentity(2).addLabels("reserved:world"))
			.setDestination(Endpoint.newBuilder().setIdentity(23456).setNamespace("shop").setPodName("backend-0"))
			.build();
	}

	private static Flow verdict(Verdict verdict, int match) {
		return syn("frontend-7d9f8-abcde", 43210, 8080).toBuilder()
			.setEventType(CiliumEventType.newBuilder().setType(5))
			.clearTraceObservationPoint()
			.setVerdict(verdict)
			.setPolicyMatchType(match)
			.setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setSourcePort(43210).setDestinationPort(8080)))
			.build();
	}

}
