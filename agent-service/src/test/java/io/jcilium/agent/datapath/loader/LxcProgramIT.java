package io.jcilium.agent.datapath.loader;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.events.DatapathEvent;
import io.jcilium.agent.datapath.events.DropReason;
import io.jcilium.agent.datapath.events.EventReader;
import io.jcilium.agent.datapath.events.EventType;
import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.MonotonicClock;
import io.jcilium.agent.datapath.maps.ConntrackMap;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.PolicyEntries;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bpf_lxc's policy, conntrack, metrics and events, driven by crafted packets through
 * BPF_PROG_TEST_RUN against maps programmed from Java. Each test loads its own object
 * with private (unpinned) maps, so tests cannot see each other's state.
 */
class LxcProgramIT {

	static final int TC_ACT_OK = 0;

	static final int TC_ACT_SHOT = 2;

	static final int ENDPOINT_ID = 42;

	static final int POD_IDENTITY = 1000;

	static final int PEER_IDENTITY = 2000;

	static final int OTHER_IDENTITY = 3000;

	static final String POD = "10.0.1.1";

	static final String PEER = "10.0.2.2";

	static final String OTHER = "10.0.3.3";

	static final String POD6 = "fd00::1:1";

	static final String PEER6 = "fd00::2:2";

	static final String GATEWAY6 = "fe80::1";

	private EndpointProgram program;

	private EventReader reader;

	private final BlockingQueue<DatapathEvent> events = new LinkedBlockingQueue<>();

	@BeforeEach
	void load() {
		KernelRequirements.requireBpf();
		EndpointProgramLoader loader = new EndpointProgramLoader(DatapathObjects.resolve(DatapathObjects.LXC), null);
		this.program = loader.load(new DatapathStructs.LxcConfig(ENDPOINT_ID, POD_IDENTITY, 7, 0));
		this.program.ipcache().put(ip(PEER), 32, PEER_IDENTITY, null);
		this.program.ipcache().put(ip("10.0.3.0"), 24, OTHER_IDENTITY, null);
		this.program.ipcache().put(ip(PEER6), 128, PEER_IDENTITY, null);
		this.program.ipcache().put(ip(POD), 32, POD_IDENTITY, null);
		// the pod's own addresses and MAC, as the agent writes them: what it sends
		// passes the source check
		for (String address : List.of(POD, POD6)) {
			this.program.endpoints()
				.put(ip(address), new DatapathStructs.EndpointInfo(7, ENDPOINT_ID, 0, Packets.sourceMac(), new byte[6],
						POD_IDENTITY));
		}
		this.reader = new EventReader(this.program.events(), this.events::add);
		this.reader.start();
	}

	@AfterEach
	void close() {
		if (this.reader != null) {
			this.reader.close();
		}
		if (this.program != null) {
			this.program.close();
		}
	}

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
	void anEndpointHoldingItsShareOfConntrackIsRefusedNewConnectionsUntilTheSweepFindsRoom()
			throws InterruptedException {
		allow(PolicyEntries.allowAll(TrafficDirection.EGRESS));
		assertThat(egress(Packets.udp(POD, PEER, 5000, 53))).isEqualTo(TC_ACT_OK);
		assertThat(egress(Packets.udp(POD, PEER, 5001, 53))).isEqualTo(TC_ACT_OK);
		ConntrackMap conntrack = this.program.conntrack();
		assertThat(conntrack.heldBy(ENDPOINT_ID)).isEqualTo(2);

		// as if the endpoint had created its whole share (CT_ENDPOINT_MAX, 65,536)
		this.program.object()
			.map("ct_created")
			.update(DatapathStructs.CtCounter.key(ENDPOINT_ID), new DatapathStructs.CtCounter(65_536).encode(),
					BpfMap.ANY);
		assertThat(egress(Packets.udp(POD, PEER, 5002, 53))).as("a new connection beyond the share")
			.isEqualTo(TC_ACT_SHOT);
		DatapathEvent drop = awaitEvent(EventType.DROP);
		assertThat(drop.dropReason()).isEqualTo(DropReason.CT_MAP_INSERTION_FAILED);
		assertThat(this.program.metrics().get(155, TrafficDirection.EGRESS).count()).isEqualTo(1);
		// what it holds goes on: established packets and replies
		assertThat(egress(Packets.udp(POD, PEER, 5000, 53))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.udp(PEER, POD, 53, 5001))).isEqualTo(TC_ACT_OK);

		// the sweep finds two entries held: the rest counts as released, room again
		conntrack.removeExpired(MonotonicClock.nowSeconds());
		assertThat(conntrack.heldBy(ENDPOINT_ID)).isEqualTo(2);
		assertThat(egress(Packets.udp(POD, PEER, 5002, 53))).isEqualTo(TC_ACT_OK);
		assertThat(conntrack.heldBy(ENDPOINT_ID)).isEqualTo(3);
	}

	@Test
	void laterFragmentsFollowTheVerdictOfTheirFirstFragment() throws InterruptedException {
		// a port-level rule only: later fragments carry no port and used to be dropped
		allow(PolicyEntries.ports(PEER_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.UDP, 53, 53, false));
		int id = 100;
		for (String[] pair : List.of(new String[] { PEER, POD }, new String[] { PEER6, POD6 })) {
			assertThat(ingress(Packets.fragment(pair[0], pair[1], Packets.UDP, id, 0, true, udpHead(53))))
				.as("first fragment, allowed port")
				.isEqualTo(TC_ACT_OK);
			assertThat(ingress(Packets.fragment(pair[0], pair[1], Packets.UDP, id, 2, true, new byte[16])))
				.isEqualTo(TC_ACT_OK);
			assertThat(ingress(Packets.fragment(pair[0], pair[1], Packets.UDP, id++, 4, false, new byte[16])))
				.as("last fragment")
				.isEqualTo(TC_ACT_OK);

			assertThat(ingress(Packets.fragment(pair[0], pair[1], Packets.UDP, id, 0, true, udpHead(54))))
				.as("first fragment, denied port")
				.isEqualTo(TC_ACT_SHOT);
			assertThat(ingress(Packets.fragment(pair[0], pair[1], Packets.UDP, id++, 2, false, new byte[16])))
				.as("its later fragment")
				.isEqualTo(TC_ACT_SHOT);
		}
		assertThat(this.program.metrics().get(133, TrafficDirection.INGRESS).count()).isEqualTo(4);

		// a later fragment whose first never came: dropped as upstream does
		assertThat(ingress(Packets.fragment(PEER, POD, Packets.UDP, 999, 2, false, new byte[16])))
			.isEqualTo(TC_ACT_SHOT);
		assertThat(this.program.metrics().get(175, TrafficDirection.INGRESS).count()).isEqualTo(1);
	}

	/** A UDP header (5000 -> port) and 8 bytes of data: the first fragment's bytes. */
	private static byte[] udpHead(int port) {
		return java.nio.ByteBuffer.allocate(16)
			.putShort((short) 5000)
			.putShort((short) port)
			.putShort((short) 48)
			.array();
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
		assertThat(this.program.policy().get(key).packets()).as("only the opening packet was looked up").isEqualTo(1);

		// any change to the endpoint's policy makes tracked connections re-check once
		allow(PolicyEntries.ports(OTHER_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.UDP, 53, 53, false));
		assertThat(ingress(Packets.tcp(PEER, POD, 40000, 80, Packets.TCP_ACK))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.tcp(PEER, POD, 40000, 80, Packets.TCP_ACK))).isEqualTo(TC_ACT_OK);
		assertThat(this.program.policy().get(key).packets()).as("re-checked once after the change").isEqualTo(2);
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

	@Test
	void arpAndNeighbourDiscoveryWithTheGatewayPassWithoutPolicy() {
		// from the node: ARP, and neighbour discovery from the gateway's link-local
		// address to the pod's solicited-node group (hop limit 255 as RFC 4861 sends it)
		assertThat(ingress(Packets.arp())).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.icmp6(GATEWAY6, "ff02::1:ff01:1", 135, 255))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.icmp6(GATEWAY6, POD6, 135, 255))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.icmp6(GATEWAY6, "ff02::1", 134, 255))).as("router advertisement")
			.isEqualTo(TC_ACT_OK);
		// from the pod: ARP for its gateway, solicitations and advertisements with the
		// gateway, router solicitation, MLD reports while it has no address yet
		assertThat(egress(Packets.arp(Packets.sourceMac(), POD, "169.254.1.1"))).isEqualTo(TC_ACT_OK);
		assertThat(egress(Packets.icmp6("fe80::1:1", GATEWAY6, 135, 255))).isEqualTo(TC_ACT_OK);
		assertThat(egress(Packets.icmp6(POD6, GATEWAY6, 136, 255))).isEqualTo(TC_ACT_OK);
		assertThat(egress(Packets.icmp6("fe80::1:1", "ff02::2", 133, 255))).isEqualTo(TC_ACT_OK);
		assertThat(egress(Packets.icmp6("::", "ff02::16", 143, 1))).isEqualTo(TC_ACT_OK);
		assertThat(this.program.metrics().get(0, TrafficDirection.EGRESS).count()).isEqualTo(5);
	}

	@Test
	void neighbourDiscoveryAndMldTypesBetweenRoutableAddressesGoThroughPolicy() throws InterruptedException {
		// ICMPv6 types 130-137 and 143 used to pass to and from any address: now only on
		// the link, as neighbour discovery and MLD really are
		for (int type : List.of(130, 131, 132, 133, 134, 135, 136, 137, 143)) {
			assertThat(ingress(Packets.icmp6(PEER6, POD6, type, 255))).as("type %d from a routable peer", type)
				.isEqualTo(TC_ACT_SHOT);
			assertThat(egress(Packets.icmp6(POD6, PEER6, type, 255))).as("type %d to a routable peer", type)
				.isEqualTo(TC_ACT_SHOT);
		}
		// a solicitation that crossed a router (hop limit below 255) is no neighbour
		// discovery (RFC 4861 section 7.1.1), even from a link-local address
		assertThat(ingress(Packets.icmp6(GATEWAY6, POD6, 135, 254))).isEqualTo(TC_ACT_SHOT);
		// an MLD report must stay on the link (hop limit 1) and come from a link-local
		// or unspecified address
		assertThat(egress(Packets.icmp6("::", "ff02::16", 143, 64))).isEqualTo(TC_ACT_SHOT);
		assertThat(this.program.metrics().get(133, TrafficDirection.INGRESS).count()).as("policy denied").isEqualTo(10);
		// with a rule for them they are ordinary ICMPv6, allowed like any other type
		allow(PolicyEntries.icmp(PEER_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.ICMPV6, 135, false));
		assertThat(ingress(Packets.icmp6(PEER6, POD6, 135, 255))).isEqualTo(TC_ACT_OK);
	}

	@Test
	void whatThePodSendsMustCarryItsOwnAddressAndMac() throws InterruptedException {
		allow(PolicyEntries.allowAll(TrafficDirection.EGRESS));
		assertThat(egress(Packets.udp(POD, PEER, 5000, 53))).isEqualTo(TC_ACT_OK);
		assertThat(egress(Packets.udp(POD6, PEER6, 5000, 53))).isEqualTo(TC_ACT_OK);

		assertThat(egress(Packets.udp(OTHER, PEER, 5000, 53))).as("another address").isEqualTo(TC_ACT_SHOT);
		DatapathEvent drop = awaitEvent(EventType.DROP);
		assertThat(drop.dropReason()).isEqualTo(DropReason.INVALID_SOURCE_IP);
		assertThat(drop.sourceIdentity()).as("the endpoint's identity, never the packet's address's")
			.isEqualTo(POD_IDENTITY);
		assertThat(egress(Packets.udp(PEER6, POD6, 5000, 53))).as("another IPv6 address").isEqualTo(TC_ACT_SHOT);
		assertThat(egress(Packets.udp("fe80::1:1", PEER6, 5000, 53))).as("link-local is only for ND/MLD")
			.isEqualTo(TC_ACT_SHOT);
		assertThat(this.program.metrics().get(132, TrafficDirection.EGRESS).count()).isEqualTo(3);

		byte[] otherMac = { 0x02, 0, 0, 0, 0, 0x77 };
		byte[] wrongMac = Packets.withMacs(Packets.udp(POD, PEER, 5000, 53), new byte[6], otherMac);
		assertThat(egress(wrongMac)).as("own address, another MAC").isEqualTo(TC_ACT_SHOT);
		assertThat(egress(Packets.arp(otherMac, POD, "169.254.1.1"))).as("ARP from another MAC").isEqualTo(TC_ACT_SHOT);
		assertThat(this.program.metrics().get(130, TrafficDirection.EGRESS).count()).isEqualTo(2);
		assertThat(egress(Packets.arp(Packets.sourceMac(), PEER, "169.254.1.1"))).as("ARP for another address")
			.isEqualTo(TC_ACT_SHOT);
		assertThat(this.program.metrics().get(132, TrafficDirection.EGRESS).count()).isEqualTo(4);

		byte[] lldp = Packets.arp();
		lldp[12] = (byte) 0x88;
		lldp[13] = (byte) 0xcc;
		assertThat(egress(lldp)).as("other EtherTypes do not leave a pod").isEqualTo(TC_ACT_SHOT);
		assertThat(this.program.metrics().get(139, TrafficDirection.EGRESS).count()).isEqualTo(1);
		assertThat(ingress(lldp)).as("what the node sends a pod is not checked").isEqualTo(TC_ACT_OK);
	}

	private void allow(List<MapEntry> entry) {
		this.program.policy().put(entry);
	}

	private int egress(byte[] frame) {
		return this.program.fromContainer().testRun(frame, 1).retval();
	}

	private int ingress(byte[] frame) {
		return this.program.toContainer().testRun(frame, 1).retval();
	}

	private DatapathEvent awaitEvent(EventType type) throws InterruptedException {
		List<DatapathEvent> seen = new ArrayList<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() < deadline) {
			DatapathEvent event = this.events.poll(100, TimeUnit.MILLISECONDS);
			if (event != null && event.type() == type) {
				return event;
			}
			if (event != null) {
				seen.add(event);
			}
		}
		throw new AssertionError("no " + type + " event within 5 s; saw " + seen);
	}

	static InetAddress ip(String literal) {
		return Packets.parse(literal);
	}

}
