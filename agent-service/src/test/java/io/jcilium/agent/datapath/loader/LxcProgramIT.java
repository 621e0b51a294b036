package io.jcilium.agent.datapath.loader;

import java.util.List;

import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.events.DatapathEvent;
import io.jcilium.common.datapath.DropReason;
import io.jcilium.agent.datapath.events.EventType;
import io.jcilium.agent.datapath.libbpf.MonotonicClock;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.PolicyEntries;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bpf_lxc's policy, conntrack, metrics and events, driven by crafted packets through
 * BPF_PROG_TEST_RUN against maps programmed from Java. Each test loads its own object
 * with private (unpinned) maps, so tests cannot see each other's state.
 */
class LxcProgramIT extends LxcProgramFixture {

	@Test
	void egressAllowedByExactIdentityAndPort() {
		allow(PolicyEntries.ports(PEER_IDENTITY, TrafficDirection.EGRESS, PolicyEntries.TCP, 80, 80, false));

		assertThat(egress(Packets.tcp(POD, PEER, 40000, 80, Packets.TCP_SYN))).isEqualTo(TC_ACT_OK);
		assertThat(egress(Packets.tcp(POD, PEER, 40001, 81, Packets.TCP_SYN))).isEqualTo(TC_ACT_SHOT);
		assertThat(egress(Packets.tcp(POD, OTHER, 40002, 80, Packets.TCP_SYN))).isEqualTo(TC_ACT_SHOT);
		DatapathStructs.PolicyEntry entry = this.program.policy()
			.get(new DatapathStructs.PolicyKey(PEER_IDENTITY, true, 6, 80, 64));
		assertThat(entry.packets()).isEqualTo(1);
	}

	@Test
	void ingressIsDeniedByDefaultWithADropEventNamingBothIdentities() throws InterruptedException {
		assertThat(ingress(Packets.udp(PEER, POD, 5000, 53))).isEqualTo(TC_ACT_SHOT);

		DatapathEvent drop = awaitEvent(EventType.DROP);
		assertThat(drop.dropReason()).isEqualTo(DropReason.POLICY_DENIED);
		assertThat(drop.header().subtype()).isEqualTo(133);
		assertThat(drop.sourceIdentity()).isEqualTo(PEER_IDENTITY);
		assertThat(drop.destinationIdentity()).isEqualTo(POD_IDENTITY);
		assertThat(drop.endpointId()).isEqualTo(ENDPOINT_ID);
		assertThat(drop.header().observationPoint()).isEqualTo(DatapathEvent.TRACE_TO_LXC);
		assertThat(drop.source()).isEqualTo(ip(PEER));
		assertThat(drop.destinationPort()).isEqualTo(53);
		assertThat(this.program.metrics().get(133, TrafficDirection.INGRESS).count()).isEqualTo(1);
	}

	@Test
	void denyForAnyIdentityBeatsAnAllowForTheExactIdentity() throws InterruptedException {
		allow(PolicyEntries.ports(PEER_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.TCP, 443, 443, false));
		allow(PolicyEntries.ports(PolicyEntries.ANY_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.TCP, 443, 443,
				true));

		assertThat(ingress(Packets.tcp(PEER, POD, 40000, 443, Packets.TCP_SYN))).isEqualTo(TC_ACT_SHOT);
		DatapathEvent drop = awaitEvent(EventType.DROP);
		assertThat(drop.dropReason()).isEqualTo(DropReason.POLICY_DENY);
		assertThat(drop.header().subtype()).isEqualTo(181);
		assertThat(this.program.metrics().get(181, TrafficDirection.INGRESS).count()).isEqualTo(1);
	}

	@Test
	void denyOfTheIdentityBeatsAnAllowForAnyIdentity() {
		allow(PolicyEntries.ports(PolicyEntries.ANY_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.TCP, 0, 65535,
				false));
		allow(PolicyEntries.ports(OTHER_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.TCP, 22, 22, true));

		assertThat(ingress(Packets.tcp(OTHER, POD, 40000, 22, Packets.TCP_SYN))).isEqualTo(TC_ACT_SHOT);
		assertThat(ingress(Packets.tcp(PEER, POD, 40000, 22, Packets.TCP_SYN))).isEqualTo(TC_ACT_OK);
	}

	@Test
	void portRangeMatchesInsideAndNotOutside() {
		allow(PolicyEntries.ports(PEER_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.TCP, 8000, 8099, false));

		assertThat(ingress(Packets.tcp(PEER, POD, 40000, 8000, Packets.TCP_SYN))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.tcp(PEER, POD, 40001, 8050, Packets.TCP_SYN))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.tcp(PEER, POD, 40002, 8099, Packets.TCP_SYN))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.tcp(PEER, POD, 40003, 7999, Packets.TCP_SYN))).isEqualTo(TC_ACT_SHOT);
		assertThat(ingress(Packets.tcp(PEER, POD, 40004, 8100, Packets.TCP_SYN))).isEqualTo(TC_ACT_SHOT);
	}

	@Test
	void anyIdentityEntryAdmitsUnknownSources() {
		allow(PolicyEntries.ports(PolicyEntries.ANY_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.UDP, 53, 53,
				false));

		// 192.0.2.9 is in no ipcache entry: world identity
		assertThat(ingress(Packets.udp("192.0.2.9", POD, 5353, 53))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.udp("192.0.2.9", POD, 5353, 54))).isEqualTo(TC_ACT_SHOT);
	}

	@Test
	void protocolsAreMatchedSeparately() {
		allow(PolicyEntries.ports(PEER_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.SCTP, 9000, 9000, false));

		assertThat(ingress(Packets.sctp(PEER, POD, 1000, 9000))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.tcp(PEER, POD, 1000, 9000, Packets.TCP_SYN))).isEqualTo(TC_ACT_SHOT);
		assertThat(ingress(Packets.udp(PEER, POD, 1000, 9000))).isEqualTo(TC_ACT_SHOT);
	}

	@Test
	void replyOfAnAllowedConnectionPassesWithoutIngressPolicy() {
		allow(PolicyEntries.ports(PEER_IDENTITY, TrafficDirection.EGRESS, PolicyEntries.TCP, 80, 80, false));

		// no ingress entries at all: unsolicited traffic is dropped...
		assertThat(ingress(Packets.tcp(PEER, POD, 80, 40000, Packets.TCP_SYN | Packets.TCP_ACK)))
			.isEqualTo(TC_ACT_SHOT);
		// ...but once the pod opened the connection, its replies pass
		assertThat(egress(Packets.tcp(POD, PEER, 40000, 80, Packets.TCP_SYN))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.tcp(PEER, POD, 80, 40000, Packets.TCP_SYN | Packets.TCP_ACK))).isEqualTo(TC_ACT_OK);
		assertThat(egress(Packets.tcp(POD, PEER, 40000, 80, Packets.TCP_ACK))).isEqualTo(TC_ACT_OK);
		// another port of the same peer is still not a reply
		assertThat(ingress(Packets.tcp(PEER, POD, 81, 40000, Packets.TCP_ACK))).isEqualTo(TC_ACT_SHOT);

		DatapathStructs.CtEntry ct = this.program.conntrack()
			.entries()
			.get(new DatapathStructs.CtKey(ip(PEER), ip(POD), 80, 40000, 6, 0, ENDPOINT_ID));
		assertThat(ct.packets()).isEqualTo(2);
		assertThat(ct.rxPackets()).isEqualTo(1);
		assertThat(ct.sourceIdentity()).isEqualTo(POD_IDENTITY);
		assertThat(ct.expiresSec()).isGreaterThan(MonotonicClock.nowSeconds());
	}

	@Test
	void icmpEchoReplyAndRelatedErrorPassAfterAnAllowedRequest() {
		allow(PolicyEntries.icmp(PEER_IDENTITY, TrafficDirection.EGRESS, PolicyEntries.ICMP, 8, false));
		allow(PolicyEntries.ports(PEER_IDENTITY, TrafficDirection.EGRESS, PolicyEntries.UDP, 0, 65535, false));

		assertThat(ingress(Packets.echo(PEER, POD, false, 77))).isEqualTo(TC_ACT_SHOT);
		assertThat(egress(Packets.echo(POD, PEER, true, 77))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.echo(PEER, POD, false, 77))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.echo(PEER, POD, false, 78))).isEqualTo(TC_ACT_SHOT);

		byte[] probe = Packets.udp(POD, PEER, 33434, 33435);
		assertThat(ingress(Packets.unreachable(PEER, POD, probe))).as("error before any probe").isEqualTo(TC_ACT_SHOT);
		assertThat(egress(probe)).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.unreachable(PEER, POD, probe))).as("related error").isEqualTo(TC_ACT_OK);
	}

	@Test
	void ipv6TcpUdpAndIcmpv6AreEnforced() {
		allow(PolicyEntries.ports(PEER_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.TCP, 8080, 8080, false));
		allow(PolicyEntries.icmp(PEER_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.ICMPV6, 128, false));

		assertThat(ingress(Packets.tcp(PEER6, POD6, 40000, 8080, Packets.TCP_SYN))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.udp(PEER6, POD6, 40000, 8080))).isEqualTo(TC_ACT_SHOT);
		assertThat(ingress(Packets.echo(PEER6, POD6, true, 5))).isEqualTo(TC_ACT_OK);
		// the pod's echo reply goes out as a reply of the tracked request, without egress
		// policy
		assertThat(egress(Packets.echo(POD6, PEER6, false, 5))).isEqualTo(TC_ACT_OK);
		assertThat(egress(Packets.udp(POD6, PEER6, 40000, 53))).isEqualTo(TC_ACT_SHOT);
	}

	@Test
	void expiredConnectionNoLongerAdmitsReplies() {
		allow(PolicyEntries.ports(PEER_IDENTITY, TrafficDirection.EGRESS, PolicyEntries.UDP, 53, 53, false));
		assertThat(egress(Packets.udp(POD, PEER, 5000, 53))).isEqualTo(TC_ACT_OK);
		DatapathStructs.CtKey key = new DatapathStructs.CtKey(ip(PEER), ip(POD), 53, 5000, 17, 0, ENDPOINT_ID);
		DatapathStructs.CtEntry live = this.program.conntrack().entries().get(key);
		assertThat(live).isNotNull();

		// age the entry instead of waiting out the 60 s UDP lifetime
		long past = MonotonicClock.nowSeconds() - 1;
		this.program.conntrack()
			.put(key, new DatapathStructs.CtEntry(live.packets(), live.bytes(), 0, 0, past, live.sourceIdentity(), 0,
					live.policyRevision()));

		assertThat(ingress(Packets.udp(PEER, POD, 53, 5000))).isEqualTo(TC_ACT_SHOT);
		assertThat(this.program.conntrack().removeExpired(MonotonicClock.nowSeconds())).isEqualTo(1);
		assertThat(this.program.conntrack().entries()).doesNotContainKey(key);
	}

	@Test
	void policyChangeAppliesToTheNextPacket() {
		byte[] syn = Packets.tcp(PEER, POD, 40000, 5432, Packets.TCP_SYN);
		assertThat(ingress(syn)).isEqualTo(TC_ACT_SHOT);
		List<MapEntry> entry = PolicyEntries.ports(PEER_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.TCP, 5432,
				5432, false);
		allow(entry);
		assertThat(ingress(syn)).isEqualTo(TC_ACT_OK);
		this.program.policy().remove(entry);
		assertThat(ingress(Packets.tcp(PEER, POD, 40000, 5432, Packets.TCP_ACK))).isEqualTo(TC_ACT_SHOT);
	}

	@Test
	void establishedConnectionReusesItsVerdictUntilThePolicyChanges() {
		List<MapEntry> web = PolicyEntries.ports(PEER_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.TCP, 80, 80,
				false);
		allow(web);
		DatapathStructs.PolicyKey key = PolicyEntries.keys(web).get(0);

		assertThat(ingress(Packets.tcp(PEER, POD, 40000, 80, Packets.TCP_SYN))).isEqualTo(TC_ACT_OK);
		for (int i = 0; i < 3; i++) {
			assertThat(ingress(Packets.tcp(PEER, POD, 40000, 80, Packets.TCP_ACK))).isEqualTo(TC_ACT_OK);
		}
		assertThat(this.program.policy().get(key).packets())
			.as("the opening packet looked up, the established ones charged to the entry that admitted it")
			.isEqualTo(4);

		// any change to the endpoint's policy makes tracked connections re-check: a deny
		// now in force drops the next packet of the established connection
		allow(PolicyEntries.ports(PEER_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.TCP, 80, 80, true));
		assertThat(ingress(Packets.tcp(PEER, POD, 40000, 80, Packets.TCP_ACK))).isEqualTo(TC_ACT_SHOT);
	}

	// Per-rule bytes (issue 14 point 6): the entry that admitted a connection is charged
	// with all of its packets, the opening one it decided, the established ones that
	// pass on the connection's verdict and the replies, to the byte; a deny entry with
	// each packet it drops. Another entry of the same peer is charged nothing.
	@Test
	void everyPacketOfAnAdmittedConnectionIsChargedToTheEntryThatAdmittedIt() {
		List<MapEntry> web = PolicyEntries.ports(PEER_IDENTITY, TrafficDirection.EGRESS, PolicyEntries.TCP, 80, 80,
				false);
		List<MapEntry> anyPort = PolicyEntries.ports(PolicyEntries.ANY_IDENTITY, TrafficDirection.EGRESS,
				PolicyEntries.UDP, 0, 65535, false);
		List<MapEntry> denied = PolicyEntries.ports(OTHER_IDENTITY, TrafficDirection.EGRESS, PolicyEntries.TCP, 80, 80,
				true);
		allow(web);
		allow(anyPort);
		allow(denied);
		List<byte[]> out = List.of(Packets.tcp(POD, PEER, 40000, 80, Packets.TCP_SYN),
				Packets.tcp(POD, PEER, 40000, 80, Packets.TCP_ACK), Packets.tcp(POD, PEER, 40000, 80, Packets.TCP_ACK),
				Packets.tcp(POD, PEER, 40000, 80, Packets.TCP_ACK | Packets.TCP_FIN));
		List<byte[]> back = List.of(Packets.tcp(PEER, POD, 80, 40000, Packets.TCP_SYN | Packets.TCP_ACK),
				Packets.tcp(PEER, POD, 80, 40000, Packets.TCP_ACK));
		assertThat(egress(out.get(0))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(back.get(0))).isEqualTo(TC_ACT_OK);
		assertThat(egress(out.get(1))).isEqualTo(TC_ACT_OK);
		assertThat(egress(out.get(2))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(back.get(1))).isEqualTo(TC_ACT_OK);
		assertThat(egress(out.get(3))).isEqualTo(TC_ACT_OK);
		// a UDP datagram admitted by the other entry, and two SYNs the deny entry drops
		assertThat(egress(Packets.udp(POD, PEER, 5000, 53))).isEqualTo(TC_ACT_OK);
		assertThat(egress(Packets.tcp(POD, OTHER, 40001, 80, Packets.TCP_SYN))).isEqualTo(TC_ACT_SHOT);
		assertThat(egress(Packets.tcp(POD, OTHER, 40001, 80, Packets.TCP_SYN))).isEqualTo(TC_ACT_SHOT);

		long bytes = out.stream().mapToLong((frame) -> frame.length).sum()
				+ back.stream().mapToLong((frame) -> frame.length).sum();
		DatapathStructs.PolicyEntry webEntry = this.program.policy().get(PolicyEntries.keys(web).get(0));
		assertThat(webEntry.packets()).as("4 packets out, 2 replies").isEqualTo(6);
		assertThat(webEntry.bytes()).isEqualTo(bytes);
		DatapathStructs.PolicyEntry udpEntry = this.program.policy().get(PolicyEntries.keys(anyPort).get(0));
		assertThat(udpEntry.packets()).isEqualTo(1);
		assertThat(udpEntry.bytes()).isEqualTo(Packets.udp(POD, PEER, 5000, 53).length);
		DatapathStructs.PolicyEntry denyEntry = this.program.policy().get(PolicyEntries.keys(denied).get(0));
		assertThat(denyEntry.packets()).isEqualTo(2);
		assertThat(denyEntry.bytes()).isEqualTo(2L * Packets.tcp(POD, OTHER, 40001, 80, Packets.TCP_SYN).length);
	}

	@Test
	void allowedNewConnectionEmitsVerdictAndTraceEvents() throws InterruptedException {
		allow(PolicyEntries.allowAll(TrafficDirection.EGRESS));

		assertThat(egress(Packets.udp(POD, PEER, 5000, 53))).isEqualTo(TC_ACT_OK);

		DatapathEvent verdict = awaitEvent(EventType.POLICY_VERDICT);
		assertThat(verdict.allowed()).isTrue();
		assertThat(verdict.egress()).isTrue();
		assertThat(verdict.header().matchType()).as("any identity, any protocol").isEqualTo(4);
		DatapathEvent trace = awaitEvent(EventType.TRACE);
		assertThat(trace.header().observationPoint()).isEqualTo(DatapathEvent.TRACE_FROM_LXC);
		assertThat(trace.sourceIdentity()).isEqualTo(POD_IDENTITY);
		assertThat(trace.destinationIdentity()).isEqualTo(PEER_IDENTITY);
		assertThat(this.program.metrics().get(0, TrafficDirection.EGRESS).count()).isEqualTo(1);
	}

	@Test
	void dropEventNamesTheLocalDestinationEndpoint() throws InterruptedException {
		this.program.endpoints().put(ip(PEER), new DatapathStructs.EndpointInfo(9, 77, 0, null, null, PEER_IDENTITY));

		assertThat(egress(Packets.tcp(POD, PEER, 40000, 80, Packets.TCP_SYN))).isEqualTo(TC_ACT_SHOT);

		DatapathEvent drop = awaitEvent(EventType.DROP);
		assertThat(drop.header().destinationEndpointId()).isEqualTo(77);
		assertThat(drop.header().observationPoint()).isEqualTo(DatapathEvent.TRACE_FROM_LXC);
		assertThat(this.program.endpoints().entries()).containsKey(ip(PEER));
	}

}
