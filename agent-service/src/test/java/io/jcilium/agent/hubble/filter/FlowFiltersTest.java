package io.jcilium.agent.hubble.filter;

import java.util.List;
import java.util.function.Predicate;

import com.google.protobuf.BoolValue;
import io.jcilium.api.hubble.flow.CiliumEventType;
import io.jcilium.api.hubble.flow.DropReason;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.EventTypeFilter;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.flow.IP;
import io.jcilium.api.hubble.flow.IPVersion;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.TCP;
import io.jcilium.api.hubble.flow.TCPFlags;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.UDP;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.api.hubble.flow.Workload;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every filter field the agent evaluates, each on a flow it must select and flows that
 * differ from it in that one field only.
 */
class FlowFiltersTest {

	// shop/frontend-7d4 (identity 12345) -> shop/backend-5f9 (23456), TCP 43210 -> 8080
	// SYN, allowed at the destination's ingress, seen on node kind-worker.
	private static final Flow WEB = Flow.newBuilder()
		.setNodeName("kind-worker")
		.setVerdict(Verdict.FORWARDED)
		.setEventType(CiliumEventType.newBuilder().setType(4).setSubType(0))
		.setTrafficDirection(TrafficDirection.INGRESS)
		.setIsReply(BoolValue.of(false))
		.setIP(IP.newBuilder().setSource("10.0.1.5").setDestination("10.0.2.7").setIpVersion(IPVersion.IPv4))
		.setL4(Layer4.newBuilder()
			.setTCP(TCP.newBuilder()
				.setSourcePort(43210)
				.setDestinationPort(8080)
				.setFlags(TCPFlags.newBuilder().setSYN(true))))
		.setSource(Endpoint.newBuilder()
			.setIdentity(12345)
			.setNamespace("shop")
			.setPodName("frontend-7d4")
			.addLabels("k8s:app=frontend")
			.addLabels("k8s:io.kubernetes.pod.namespace=shop"))
		.setDestination(Endpoint.newBuilder()
			.setIdentity(23456)
			.setNamespace("shop")
			.setPodName("backend-5f9")
			.addLabels("k8s:app=backend")
			.addLabels("k8s:tier=api"))
		.build();

	private static final Flow DENIED = WEB.toBuilder()
		.setVerdict(Verdict.DROPPED)
		.setDropReason(133)
		.setDropReasonDesc(DropReason.POLICY_DENIED)
		.setEventType(CiliumEventType.newBuilder().setType(1).setSubType(133))
		.clearIsReply()
		.build();

	@Test
	void anEmptyRequestSelectsEverything() {
		Predicate<Flow> all = FlowFilters.compile(List.of(), List.of());
		assertThat(all.test(WEB)).isTrue();
		assertThat(all.test(Flow.getDefaultInstance())).isTrue();
	}

	@Test
	void podsByNamePrefixWithOrWithoutNamespace() {
		assertSelects(f().addSourcePod("shop/frontend"), WEB,
				WEB.toBuilder().setSource(WEB.getSource().toBuilder().setNamespace("other")).build());
		assertSelects(f().addSourcePod("frontend"), WEB,
				WEB.toBuilder().setSource(WEB.getSource().toBuilder().setPodName("checkout-1")).build());
		assertSelects(f().addDestinationPod("shop/"), WEB,
				WEB.toBuilder().setDestination(WEB.getDestination().toBuilder().setNamespace("bank")).build());
		assertSelects(f().addDestinationPod("shop/back").addDestinationPod("bank/"), WEB,
				WEB.toBuilder().setDestination(WEB.getDestination().toBuilder().setPodName("db-0")).build());
		// a remote endpoint without a pod name never matches a pod prefix
		assertSelects(f().addSourcePod("/frontend"), WEB,
				WEB.toBuilder().setSource(WEB.getSource().toBuilder().clearPodName()).build());
	}

	@Test
	void labelsBySelector() {
		assertSelects(f().addSourceLabel("k8s:app=frontend"), WEB,
				WEB.toBuilder()
					.setSource(WEB.getSource().toBuilder().clearLabels().addLabels("k8s:app=admin"))
					.build());
		// no source in the key: any source; several requirements: all of them
		assertSelects(f().addDestinationLabel("app in (backend, db), tier"), WEB,
				WEB.toBuilder()
					.setDestination(WEB.getDestination().toBuilder().clearLabels().addLabels("k8s:app=backend"))
					.build());
		assertSelects(f().addDestinationLabel("app!=frontend,!debug"), WEB,
				WEB.toBuilder().setDestination(WEB.getDestination().toBuilder().addLabels("k8s:debug=true")).build());
		assertSelects(f().addSourceLabel("k8s:app notin (admin)"), WEB,
				WEB.toBuilder()
					.setSource(WEB.getSource().toBuilder().clearLabels().addLabels("k8s:app=admin"))
					.build());
	}

	@Test
	void workloadsByKindAndNameEitherOneMatchingAnyWhenEmpty() {
		Workload frontend = Workload.newBuilder().setKind("Deployment").setName("frontend").build();
		Flow fromFrontend = WEB.toBuilder().setSource(WEB.getSource().toBuilder().addWorkloads(frontend)).build();
		Flow fromDaemon = WEB.toBuilder()
			.setSource(WEB.getSource()
				.toBuilder()
				.addWorkloads(Workload.newBuilder().setKind("DaemonSet").setName("frontend")))
			.build();
		assertSelects(f().addSourceWorkload(frontend), fromFrontend, fromDaemon);
		assertSelects(f().addSourceWorkload(Workload.newBuilder().setName("frontend")), fromDaemon, WEB);
		assertSelects(f().addDestinationWorkload(Workload.newBuilder().setKind("Deployment")),
				WEB.toBuilder().setDestination(WEB.getDestination().toBuilder().addWorkloads(frontend)).build(),
				fromFrontend);
	}

	@Test
	void flowsByTheirUuid() {
		Flow named = WEB.toBuilder().setUuid("6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b").build();
		assertSelects(
				f().addUuid("6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b").addUuid("00000000-0000-4000-8000-000000000000"),
				named, WEB.toBuilder().setUuid("6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5c").build());
	}

	@Test
	void identities() {
		assertSelects(f().addSourceIdentity(12345), WEB,
				WEB.toBuilder().setSource(WEB.getSource().toBuilder().setIdentity(2)).build());
		assertSelects(f().addDestinationIdentity(1).addDestinationIdentity(23456), WEB,
				WEB.toBuilder().setDestination(WEB.getDestination().toBuilder().setIdentity(2)).build());
	}

	@Test
	void addressesExactOrByCidr() {
		assertSelects(f().addSourceIp("10.0.1.5"), WEB,
				WEB.toBuilder().setIP(WEB.getIP().toBuilder().setSource("10.0.1.6")).build());
		assertSelects(f().addDestinationIp("10.0.2.0/24"), WEB,
				WEB.toBuilder().setIP(WEB.getIP().toBuilder().setDestination("10.0.3.7")).build());
		assertSelects(f().addSourceIp("fd00::/8").addSourceIp("10.0.0.0/16"), WEB,
				WEB.toBuilder().setIP(WEB.getIP().toBuilder().setSource("192.168.0.1")).build());
	}

	@Test
	void portsOfTcpAndUdp() {
		assertSelects(f().addDestinationPort("8080"), WEB,
				WEB.toBuilder()
					.setL4(Layer4.newBuilder().setTCP(WEB.getL4().getTCP().toBuilder().setDestinationPort(8081)))
					.build());
		assertSelects(f().addSourcePort("53"),
				WEB.toBuilder()
					.setL4(Layer4.newBuilder().setUDP(UDP.newBuilder().setSourcePort(53).setDestinationPort(4000)))
					.build(),
				WEB);
	}

	@Test
	void protocols() {
		assertSelects(f().addProtocol("TCP"), WEB,
				WEB.toBuilder().setL4(Layer4.newBuilder().setUDP(UDP.newBuilder())).build());
		assertSelects(f().addProtocol("udp").addProtocol("icmp"),
				WEB.toBuilder().setL4(Layer4.newBuilder().setUDP(UDP.newBuilder())).build(), WEB);
		assertSelects(f().addProtocol("http"), null, WEB);
	}

	@Test
	void verdictsAndDropReasons() {
		assertSelects(f().addVerdict(Verdict.DROPPED), DENIED, WEB);
		assertSelects(f().addDropReasonDesc(DropReason.POLICY_DENIED), DENIED,
				DENIED.toBuilder().setDropReasonDesc(DropReason.POLICY_DENY).build());
	}

	@Test
	void eventTypesWithOrWithoutSubType() {
		assertSelects(f().addEventType(EventTypeFilter.newBuilder().setType(1)), DENIED, WEB);
		assertSelects(f().addEventType(EventTypeFilter.newBuilder().setType(1).setMatchSubType(true).setSubType(133)),
				DENIED,
				DENIED.toBuilder().setEventType(CiliumEventType.newBuilder().setType(1).setSubType(181)).build());
	}

	@Test
	void trafficDirectionReplyAndIpVersion() {
		assertSelects(f().addTrafficDirection(TrafficDirection.INGRESS), WEB,
				WEB.toBuilder().setTrafficDirection(TrafficDirection.EGRESS).build());
		assertSelects(f().addReply(false), WEB, WEB.toBuilder().setIsReply(BoolValue.of(true)).build());
		// unknown reply matches neither value
		assertSelects(f().addReply(true), WEB.toBuilder().setIsReply(BoolValue.of(true)).build(), DENIED);
		assertSelects(f().addIpVersion(IPVersion.IPv4), WEB,
				WEB.toBuilder().setIP(WEB.getIP().toBuilder().setIpVersion(IPVersion.IPv6)).build());
	}

	@Test
	void tcpFlagsAllOfOneSet() {
		assertSelects(f().addTcpFlags(TCPFlags.newBuilder().setSYN(true)), WEB,
				WEB.toBuilder()
					.setL4(Layer4.newBuilder()
						.setTCP(WEB.getL4().getTCP().toBuilder().setFlags(TCPFlags.newBuilder().setACK(true))))
					.build());
		Flow synAck = WEB.toBuilder()
			.setL4(Layer4.newBuilder()
				.setTCP(WEB.getL4().getTCP().toBuilder().setFlags(TCPFlags.newBuilder().setSYN(true).setACK(true))))
			.build();
		assertSelects(f().addTcpFlags(TCPFlags.newBuilder().setSYN(true).setACK(true)), synAck, WEB);
	}

	@Test
	void nodeNamesWithWildcardsAndClusters() {
		assertSelects(f().addNodeName("kind-*"), WEB, WEB.toBuilder().setNodeName("prod-worker").build());
		assertSelects(f().addNodeName("kind-worker"), WEB.toBuilder().setNodeName("east/kind-worker").build(),
				WEB.toBuilder().setNodeName("kind-worker2").build());
		assertSelects(f().addNodeName("east/"), WEB.toBuilder().setNodeName("east/kind-worker").build(), WEB);
	}

	@Test
	void whitelistIsAnyOfAndBlacklistExcludes() {
		Predicate<Flow> filter = FlowFilters.compile(
				List.of(f().addVerdict(Verdict.DROPPED).build(), f().addDestinationPort("8080").build()),
				List.of(f().addSourcePod("shop/frontend").addVerdict(Verdict.DROPPED).build()));
		assertThat(filter.test(WEB)).as("whitelisted by port").isTrue();
		assertThat(filter.test(DENIED)).as("blacklisted: dropped from frontend").isFalse();
		Flow otherDrop = DENIED.toBuilder()
			.setSource(WEB.getSource().toBuilder().setPodName("admin-1"))
			.setL4(Layer4.newBuilder().setUDP(UDP.newBuilder().setDestinationPort(53)))
			.build();
		assertThat(filter.test(otherDrop)).as("whitelisted by verdict").isTrue();
		assertThat(filter.test(WEB.toBuilder().setL4(otherDrop.getL4()).build())).as("in no whitelist filter")
			.isFalse();
	}

	@Test
	void filtersThatCannotParseNameTheirField() {
		assertInvalid(List.of(f().addSourceIp("10.0.0.0/33").build()), "whitelist[0].source_ip", "10.0.0.0/33");
		assertInvalid(List.of(f().build(), f().addDestinationLabel("app in (a").build()),
				"whitelist[1].destination_label", "app in (a");
		assertInvalid(List.of(f().addDestinationPort("http").build()), "whitelist[0].destination_port", "http");
		assertInvalid(List.of(f().addProtocol("tcpp").build()), "whitelist[0].protocol", "tcpp");
		assertInvalid(List.of(f().addSourcePod("/").build()), "whitelist[0].source_pod", "[namespace/]");
		assertInvalid(List.of(f().addNodeName("a b").build()), "whitelist[0].node_name", "a b");
		assertInvalid(List.of(f().addSourceService("shop/web").build()), "whitelist[0].source_service",
				"not supported");
		assertThatThrownBy(() -> FlowFilters.compile(List.of(), List.of(f().addSourceLabel("k8s:app=a=b,=x").build())))
			.isInstanceOf(InvalidFilterException.class)
			.hasMessageStartingWith("blacklist[0].source_label: ");
	}

	private static FlowFilter.Builder f() {
		return FlowFilter.newBuilder();
	}

	/** The filter selects {@code match} (unless null) and not {@code miss}. */
	private static void assertSelects(FlowFilter.Builder filter, Flow match, Flow miss) {
		Predicate<Flow> compiled = FlowFilters.compile(List.of(filter.build()), List.of());
		if (match != null) {
			assertThat(compiled.test(match)).as("%s selects %s", filter, match).isTrue();
		}
		assertThat(compiled.test(miss)).as("%s does not select %s", filter, miss).isFalse();
		// as a blacklist, the same filter excludes exactly what it selected
		Predicate<Flow> excluded = FlowFilters.compile(List.of(), List.of(filter.build()));
		if (match != null) {
			assertThat(excluded.test(match)).isFalse();
		}
		assertThat(excluded.test(miss)).isTrue();
	}

	private static void assertInvalid(List<FlowFilter> whitelist, String field, String mentioned) {
		assertThatThrownBy(() -> FlowFilters.compile(whitelist, List.of())).isInstanceOf(InvalidFilterException.class)
			.hasMessageStartingWith(field + ": ")
			.hasMessageContaining(mentioned)
			.satisfies((ex) -> assertThat(((InvalidFilterException) ex).field()).isEqualTo(field));
	}

}
