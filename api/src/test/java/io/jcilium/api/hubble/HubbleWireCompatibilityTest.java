package io.jcilium.api.hubble;

import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.grpc.MethodDescriptor.MethodType;
import io.jcilium.api.hubble.flow.DropReason;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.EventTypeFilter;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.flow.FlowType;
import io.jcilium.api.hubble.flow.IP;
import io.jcilium.api.hubble.flow.IPVersion;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.TCP;
import io.jcilium.api.hubble.flow.TCPFlags;
import io.jcilium.api.hubble.flow.TraceObservationPoint;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.peer.PeerGrpc;
import io.jcilium.testsupport.WireFields;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks our Hubble protos against upstream Cilium's field numbers
 * (api/v1/flow/flow.proto, api/v1/observer/observer.proto, api/v1/peer/peer.proto). Every
 * number below is written out by hand from upstream's .proto, never taken from our
 * generated classes, so a renumbered or retyped field fails here.
 */
class HubbleWireCompatibilityTest {

	// drop_reason, reply and Summary are deprecated upstream but still sent.
	@Test
	@SuppressWarnings("deprecation")
	void flowEncodedWithUpstreamNumbersDecodesIntoEveryField() throws InvalidProtocolBufferException {
		byte[] upstreamBytes = new WireWriter().message(1, timestamp(1_700_000_000L, 123_000_000)) // time
			.string(34, "4f1c2d3e-0000-4000-8000-00000000abcd") // uuid
			.varint(2, 2) // verdict = DROPPED
			.varint(3, 181) // drop_reason (deprecated numeric copy)
			.message(4, new WireWriter().string(1, "0a:58:0a:f4:00:01").string(2, "0a:58:0a:f4:00:02")) // ethernet
			.message(5, new WireWriter().string(1, "10.244.0.17") // IP.source
				.string(2, "10.244.1.9") // IP.destination
				.varint(3, 1) // IP.ipVersion = IPv4
				.bool(4, true)) // IP.encrypted
			.message(6, new WireWriter().message(1, new WireWriter() // l4.TCP
				.varint(1, 43512) // source_port
				.varint(2, 8080) // destination_port
				.message(3, new WireWriter().bool(2, true).bool(5, true)))) // SYN+ACK
			.message(8, endpoint(1711, 48312, "default", "xwing-5bc8d4c6b-4jcp6", "k8s:app=xwing"))
			.message(9, endpoint(904, 2, "kube-system", "coredns-7db6d8ff4d-x2kfp", "k8s:k8s-app=kube-dns"))
			.varint(10, 1) // Type = L3_L4
			.string(11, "kind-worker") // node_name
			.string(13, "xwing.default.svc") // source_names
			.string(14, "kube-dns.kube-system.svc") // destination_names
			.bool(16, true) // reply (deprecated)
			.message(19, new WireWriter().varint(1, 1).varint(2, 181)) // event_type
			.varint(22, 2) // traffic_direction = EGRESS
			.varint(23, 3) // policy_match_type
			.varint(24, 101) // trace_observation_point = TO_ENDPOINT
			.varint(25, 181) // drop_reason_desc = POLICY_DENY
			.message(26, new WireWriter()) // is_reply = false (present)
			.message(28, new WireWriter().varint(1, 7).string(2, "lxc1234")) // interface
			.varint(29, 15001) // proxy_port
			.message(21004, new WireWriter().string(1, "deny-dns").string(2, "default").varint(4, 9)) // egress_denied_by
			.string(100000, "TCP Flags: SYN, ACK") // Summary
			.toByteArray();

		Flow flow = Flow.parseFrom(upstreamBytes);

		assertThat(flow.getTime())
			.isEqualTo(Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(123_000_000).build());
		assertThat(flow.getUuid()).isEqualTo("4f1c2d3e-0000-4000-8000-00000000abcd");
		assertThat(flow.getVerdict()).isEqualTo(Verdict.DROPPED);
		assertThat(flow.getDropReason()).isEqualTo(181);
		assertThat(flow.getDropReasonDesc()).isEqualTo(DropReason.POLICY_DENY);
		assertThat(flow.getEthernet().getSource()).isEqualTo("0a:58:0a:f4:00:01");
		assertThat(flow.getEthernet().getDestination()).isEqualTo("0a:58:0a:f4:00:02");
		assertThat(flow.getIP()).isEqualTo(IP.newBuilder()
			.setSource("10.244.0.17")
			.setDestination("10.244.1.9")
			.setIpVersion(IPVersion.IPv4)
			.setEncrypted(true)
			.build());
		assertThat(flow.getL4().getProtocolCase()).isEqualTo(Layer4.ProtocolCase.TCP);
		assertThat(flow.getL4().getTCP()).isEqualTo(TCP.newBuilder()
			.setSourcePort(43512)
			.setDestinationPort(8080)
			.setFlags(TCPFlags.newBuilder().setSYN(true).setACK(true))
			.build());
		assertThat(flow.getSource()).isEqualTo(Endpoint.newBuilder()
			.setID(1711)
			.setIdentity(48312)
			.setNamespace("default")
			.setPodName("xwing-5bc8d4c6b-4jcp6")
			.addLabels("k8s:app=xwing")
			.addLabels("k8s:io.kubernetes.pod.namespace=default")
			.setClusterName("default")
			.build());
		assertThat(flow.getDestination().getIdentity()).isEqualTo(2);
		assertThat(flow.getDestination().getNamespace()).isEqualTo("kube-system");
		assertThat(flow.getDestination().getPodName()).isEqualTo("coredns-7db6d8ff4d-x2kfp");
		assertThat(flow.getDestination().getLabelsList()).contains("k8s:k8s-app=kube-dns");
		assertThat(flow.getType()).isEqualTo(FlowType.L3_L4);
		assertThat(flow.getNodeName()).isEqualTo("kind-worker");
		assertThat(flow.getSourceNamesList()).containsExactly("xwing.default.svc");
		assertThat(flow.getDestinationNamesList()).containsExactly("kube-dns.kube-system.svc");
		assertThat(flow.getReply()).isTrue();
		assertThat(flow.getEventType().getType()).isEqualTo(1);
		assertThat(flow.getEventType().getSubType()).isEqualTo(181);
		assertThat(flow.getTrafficDirection()).isEqualTo(TrafficDirection.EGRESS);
		assertThat(flow.getPolicyMatchType()).isEqualTo(3);
		assertThat(flow.getTraceObservationPoint()).isEqualTo(TraceObservationPoint.TO_ENDPOINT);
		assertThat(flow.hasIsReply()).as("is_reply present even though false").isTrue();
		assertThat(flow.getIsReply().getValue()).isFalse();
		assertThat(flow.getInterface().getIndex()).isEqualTo(7);
		assertThat(flow.getInterface().getName()).isEqualTo("lxc1234");
		assertThat(flow.getProxyPort()).isEqualTo(15001);
		assertThat(flow.getEgressDeniedByList()).singleElement().satisfies((policy) -> {
			assertThat(policy.getName()).isEqualTo("deny-dns");
			assertThat(policy.getNamespace()).isEqualTo("default");
			assertThat(policy.getRevision()).isEqualTo(9);
		});
		assertThat(flow.getSummary()).isEqualTo("TCP Flags: SYN, ACK");
		assertThat(flow.getUnknownFields().asMap()).as("every upstream field is known to us").isEmpty();
	}

	@Test
	void flowFieldsNewerThanOurSnapshotSurviveARelayHop() throws InvalidProtocolBufferException {
		// Upstream added Flow.tunnel = 39 after the snapshot we declare; a relay must
		// pass it on.
		byte[] upstreamBytes = new WireWriter().varint(2, 1)
			.message(39, new WireWriter().varint(1, 1).string(2, "vxlan"))
			.toByteArray();

		byte[] relayed = Flow.parseFrom(upstreamBytes).toByteArray();

		assertThat(WireFields.parse(relayed).message(39).string(2)).isEqualTo("vxlan");
	}

	@Test
	void getFlowsRequestEncodedWithUpstreamNumbersDecodesIntoEveryField() throws InvalidProtocolBufferException {
		byte[] upstreamBytes = new WireWriter().varint(1, 20) // number
			.bool(3, true) // follow
			.message(6, new WireWriter() // whitelist[0]
				.string(2, "default/xwing") // source_pod
				.string(2, "kube-system/")
				.packed(5, 2, 4) // verdict = DROPPED, AUDIT (packed, as Go sends it)
				.packed(30, 2) // traffic_direction = EGRESS
				.packed(33, 133, 181) // drop_reason_desc
				.message(6, new WireWriter().varint(1, 4).bool(2, true).varint(3, 0))) // event_type
			.message(6, new WireWriter() // whitelist[1]
				.string(4, "kube-system/coredns") // destination_pod
				.string(11, "k8s:k8s-app=kube-dns") // destination_label
				.packed(19, 2, 16_777_217) // source_identity
				.string(24, "kind-*")) // node_name
			.message(5, new WireWriter() // blacklist[0]
				.string(1, "10.0.0.0/8") // source_ip
				.varint(5, 1) // verdict FORWARDED, one tag per value
				.varint(5, 6)) // verdict TRACED
			.message(7, timestamp(1_700_000_000L, 0)) // since
			.message(8, timestamp(1_700_000_600L, 500)) // until
			.message(10, new WireWriter().string(1, "source.pod_name").string(1, "verdict")) // field_mask
			.toByteArray();

		GetFlowsRequest request = GetFlowsRequest.parseFrom(upstreamBytes);

		assertThat(request.getNumber()).isEqualTo(20);
		assertThat(request.getFollow()).isTrue();
		assertThat(request.getFirst()).isFalse();
		assertThat(request.getWhitelistList()).hasSize(2);
		FlowFilter first = request.getWhitelist(0);
		assertThat(first.getSourcePodList()).containsExactly("default/xwing", "kube-system/");
		assertThat(first.getVerdictList()).containsExactly(Verdict.DROPPED, Verdict.AUDIT);
		assertThat(first.getTrafficDirectionList()).containsExactly(TrafficDirection.EGRESS);
		assertThat(first.getDropReasonDescList()).containsExactly(DropReason.POLICY_DENIED, DropReason.POLICY_DENY);
		assertThat(first.getEventTypeList())
			.containsExactly(EventTypeFilter.newBuilder().setType(4).setMatchSubType(true).setSubType(0).build());
		FlowFilter second = request.getWhitelist(1);
		assertThat(second.getDestinationPodList()).containsExactly("kube-system/coredns");
		assertThat(second.getDestinationLabelList()).containsExactly("k8s:k8s-app=kube-dns");
		assertThat(second.getSourceIdentityList()).containsExactly(2, 16_777_217);
		assertThat(second.getNodeNameList()).containsExactly("kind-*");
		assertThat(request.getBlacklistList()).singleElement().satisfies((filter) -> {
			assertThat(filter.getSourceIpList()).containsExactly("10.0.0.0/8");
			assertThat(filter.getVerdictList()).containsExactly(Verdict.FORWARDED, Verdict.TRACED);
		});
		assertThat(request.getSince()).isEqualTo(Timestamp.newBuilder().setSeconds(1_700_000_000L).build());
		assertThat(request.getUntil())
			.isEqualTo(Timestamp.newBuilder().setSeconds(1_700_000_600L).setNanos(500).build());
		assertThat(request.getFieldMask().getPathsList()).containsExactly("source.pod_name", "verdict");
		assertThat(request.getUnknownFields().asMap()).isEmpty();
	}

	@Test
	void flowWeSerializeCarriesUpstreamFieldNumbers() {
		Flow flow = Flow.newBuilder()
			.setTime(Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(42))
			.setVerdict(Verdict.DROPPED)
			.setDropReasonDesc(DropReason.POLICY_DENIED)
			.setIP(IP.newBuilder().setSource("10.244.0.17").setDestination("10.96.0.10").setIpVersion(IPVersion.IPv4))
			.setL4(Layer4.newBuilder()
				.setTCP(TCP.newBuilder()
					.setSourcePort(40000)
					.setDestinationPort(53)
					.setFlags(TCPFlags.newBuilder().setRST(true))))
			.setSource(Endpoint.newBuilder()
				.setIdentity(48312)
				.setNamespace("default")
				.setPodName("xwing")
				.addLabels("k8s:app=xwing"))
			.setDestination(Endpoint.newBuilder().setIdentity(2).setNamespace("kube-system"))
			.setType(FlowType.L3_L4)
			.setNodeName("kind-worker")
			.setTrafficDirection(TrafficDirection.INGRESS)
			.setTraceObservationPoint(TraceObservationPoint.TO_ENDPOINT)
			.setIsReply(com.google.protobuf.BoolValue.of(true))
			.build();

		WireFields wire = WireFields.parse(flow.toByteArray());

		assertThat(wire.message(1).varint(1)).isEqualTo(1_700_000_000L);
		assertThat(wire.message(1).varint(2)).isEqualTo(42);
		assertThat(wire.varint(2)).isEqualTo(2);
		assertThat(wire.varint(25)).isEqualTo(133);
		assertThat(wire.message(5).string(1)).isEqualTo("10.244.0.17");
		assertThat(wire.message(5).string(2)).isEqualTo("10.96.0.10");
		assertThat(wire.message(5).varint(3)).isEqualTo(1);
		WireFields tcp = wire.message(6).message(1);
		assertThat(tcp.varint(1)).isEqualTo(40000);
		assertThat(tcp.varint(2)).isEqualTo(53);
		assertThat(tcp.message(3).varint(3)).as("RST is TCPFlags field 3").isEqualTo(1);
		assertThat(wire.message(8).varint(2)).isEqualTo(48312);
		assertThat(wire.message(8).string(3)).isEqualTo("default");
		assertThat(wire.message(8).strings(4)).containsExactly("k8s:app=xwing");
		assertThat(wire.message(8).string(5)).isEqualTo("xwing");
		assertThat(wire.message(9).varint(2)).isEqualTo(2);
		assertThat(wire.varint(10)).isEqualTo(1);
		assertThat(wire.string(11)).isEqualTo("kind-worker");
		assertThat(wire.varint(22)).isEqualTo(1);
		assertThat(wire.varint(24)).isEqualTo(101);
		assertThat(wire.message(26).varint(1)).isEqualTo(1);
	}

	@Test
	void getFlowsRequestWeSerializeCarriesUpstreamFieldNumbers() {
		GetFlowsRequest request = GetFlowsRequest.newBuilder()
			.setNumber(100)
			.setFollow(true)
			.addWhitelist(FlowFilter.newBuilder().addSourcePod("default/xwing").addVerdict(Verdict.DROPPED))
			.addBlacklist(FlowFilter.newBuilder().addDestinationIp("10.96.0.10"))
			.setSince(Timestamp.newBuilder().setSeconds(1_700_000_000L))
			.build();

		WireFields wire = WireFields.parse(request.toByteArray());

		assertThat(wire.varint(1)).isEqualTo(100);
		assertThat(wire.varint(3)).isEqualTo(1);
		assertThat(wire.messages(6)).singleElement().satisfies((filter) -> {
			assertThat(filter.strings(2)).containsExactly("default/xwing");
			assertThat(filter.varints(5)).containsExactly(2L);
		});
		assertThat(wire.message(5).strings(3)).containsExactly("10.96.0.10");
		assertThat(wire.message(7).varint(1)).isEqualTo(1_700_000_000L);
	}

	@Test
	void grpcMethodNamesEqualUpstreams() {
		assertThat(ObserverGrpc.SERVICE_NAME).isEqualTo("observer.Observer");
		assertThat(ObserverGrpc.getGetFlowsMethod().getFullMethodName()).isEqualTo("observer.Observer/GetFlows");
		assertThat(ObserverGrpc.getGetFlowsMethod().getType()).isEqualTo(MethodType.SERVER_STREAMING);
		assertThat(ObserverGrpc.getGetNodesMethod().getFullMethodName()).isEqualTo("observer.Observer/GetNodes");
		assertThat(ObserverGrpc.getServerStatusMethod().getFullMethodName())
			.isEqualTo("observer.Observer/ServerStatus");
		assertThat(ObserverGrpc.getGetAgentEventsMethod().getFullMethodName())
			.isEqualTo("observer.Observer/GetAgentEvents");
		assertThat(ObserverGrpc.getGetDebugEventsMethod().getFullMethodName())
			.isEqualTo("observer.Observer/GetDebugEvents");
		assertThat(ObserverGrpc.getGetNamespacesMethod().getFullMethodName())
			.isEqualTo("observer.Observer/GetNamespaces");
		assertThat(PeerGrpc.getNotifyMethod().getFullMethodName()).isEqualTo("peer.Peer/Notify");
		assertThat(PeerGrpc.getNotifyMethod().getType()).isEqualTo(MethodType.SERVER_STREAMING);
		// Message full names show up in google.protobuf.Any type URLs and gRPC
		// reflection.
		assertThat(List.of(Flow.getDescriptor().getFullName(), GetFlowsRequest.getDescriptor().getFullName()))
			.containsExactly("flow.Flow", "observer.GetFlowsRequest");
	}

	private static WireWriter timestamp(long seconds, int nanos) {
		return new WireWriter().varint(1, seconds).varint(2, nanos);
	}

	private static WireWriter endpoint(long id, long identity, String namespace, String podName, String label) {
		return new WireWriter().varint(1, id)
			.varint(2, identity)
			.string(3, namespace)
			.string(4, label)
			.string(4, "k8s:io.kubernetes.pod.namespace=" + namespace)
			.string(5, podName)
			.string(7, "default"); // cluster_name
	}

}
