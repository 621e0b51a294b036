package io.jcilium.agent.datapath.loader;

import java.util.List;

import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.events.DatapathEvent;
import io.jcilium.common.datapath.DropReason;
import io.jcilium.agent.datapath.events.EventType;
import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.MonotonicClock;
import io.jcilium.agent.datapath.maps.ConntrackMap;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.PolicyEntries;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What bpf_lxc must not let through, with crafted packets through BPF_PROG_TEST_RUN: a
 * pod sending with addresses or MACs not its own, ICMPv6 neighbour discovery and MLD used
 * as a policy bypass, an endpoint taking more than its share of conntrack, fragments
 * without their first fragment's verdict.
 */
class LxcHardeningIT extends LxcProgramFixture {

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

}
