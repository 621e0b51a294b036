package io.jcilium.agent.datapath.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.events.DatapathEvent;
import io.jcilium.agent.datapath.events.EventType;
import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.PolicyEntries;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import io.jcilium.common.datapath.DropReason;
import io.jcilium.common.identity.ReservedIdentity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An endpoint's settings come from the endpoint_config map on every packet, with crafted
 * packets through BPF_PROG_TEST_RUN: a new identity is a map write under the running
 * program, and an endpoint without its entry (or with another endpoint's) gets nothing
 * through in either direction.
 */
class EndpointConfigIT extends LxcProgramFixture {

	private static final int INIT = (int) ReservedIdentity.INIT.id();

	@Test
	void theIdentityTheProgramUsesChangesWithAMapWriteNotANewLoad() throws InterruptedException {
		allow(PolicyEntries.allowAll(TrafficDirection.EGRESS));
		int programFd = this.program.fromContainer().fd();
		this.program.configure(new DatapathStructs.LxcConfig(ENDPOINT_ID, INIT, TEST_RUN_IFINDEX, 0));
		assertThat(this.program.endpointConfig().get(ENDPOINT_ID)).hasValueSatisfying((c) -> {
			assertThat(c.identity()).isEqualTo(INIT);
		});

		assertThat(egress(Packets.udp(POD, PEER, 5000, 53))).isEqualTo(TC_ACT_OK);
		assertThat(awaitEvent(EventType.TRACE).sourceIdentity()).as("new connection sent as init").isEqualTo(INIT);

		this.program.configure(new DatapathStructs.LxcConfig(ENDPOINT_ID, POD_IDENTITY, TEST_RUN_IFINDEX, 0));
		assertThat(egress(Packets.udp(POD, PEER, 5001, 53))).isEqualTo(TC_ACT_OK);
		assertThat(awaitEvent(EventType.TRACE).sourceIdentity()).as("the same program, the endpoint's own identity")
			.isEqualTo(POD_IDENTITY);
		assertThat(this.program.fromContainer().fd()).isEqualTo(programFd);
	}

	@Test
	void anEndpointWithoutItsEntryDropsEverythingBothWaysUntilItIsWrittenAgain() throws InterruptedException {
		allow(PolicyEntries.allowAll(TrafficDirection.EGRESS));
		allow(PolicyEntries.allowAll(TrafficDirection.INGRESS));
		assertThat(egress(Packets.udp(POD, PEER, 5000, 53))).isEqualTo(TC_ACT_OK);

		assertThat(this.program.endpointConfig().remove(ENDPOINT_ID)).isTrue();
		assertThat(egress(Packets.udp(POD, PEER, 5000, 53))).as("established, but no settings").isEqualTo(TC_ACT_SHOT);
		DatapathEvent drop = awaitEvent(EventType.DROP);
		assertThat(drop.dropReason()).isEqualTo(DropReason.NO_CONFIGURATION_AVAILABLE_TO_PERFORM_POLICY_DECISION);
		assertThat(drop.endpointId()).isEqualTo(ENDPOINT_ID);
		assertThat(ingress(Packets.udp(PEER, POD, 53, 5000))).as("its reply").isEqualTo(TC_ACT_SHOT);
		assertThat(ingress(Packets.udp(PEER, POD, 4000, 80))).isEqualTo(TC_ACT_SHOT);
		assertThat(ingress(Packets.arp())).as("ARP from the node").isEqualTo(TC_ACT_SHOT);
		assertThat(egress(Packets.arp(Packets.sourceMac(), POD, "169.254.1.1"))).as("its own ARP")
			.isEqualTo(TC_ACT_SHOT);
		assertThat(this.program.metrics().get(165, TrafficDirection.EGRESS).count()).isEqualTo(2);
		assertThat(this.program.metrics().get(165, TrafficDirection.INGRESS).count()).isEqualTo(3);

		this.program.configure(this.program.config());
		assertThat(egress(Packets.udp(POD, PEER, 5000, 53))).isEqualTo(TC_ACT_OK);
		assertThat(ingress(Packets.arp())).isEqualTo(TC_ACT_OK);
	}

	@Test
	void anEntryNamingAnotherEndpointIsNotTaken() {
		allow(PolicyEntries.allowAll(TrafficDirection.EGRESS));
		// under this endpoint's key, the settings of endpoint 43 (a torn or stray write)
		byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(ENDPOINT_ID).array();
		byte[] other = new DatapathStructs.LxcConfig(ENDPOINT_ID + 1, POD_IDENTITY, TEST_RUN_IFINDEX, 0).encode();
		this.program.object().map("endpoint_config").update(key, other, BpfMap.ANY);

		assertThat(egress(Packets.udp(POD, PEER, 5000, 53))).isEqualTo(TC_ACT_SHOT);
		assertThat(this.program.metrics().get(165, TrafficDirection.EGRESS).count()).isEqualTo(1);
	}

}
