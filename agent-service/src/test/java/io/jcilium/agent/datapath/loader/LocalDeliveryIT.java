package io.jcilium.agent.datapath.loader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.events.DatapathEvent;
import io.jcilium.common.datapath.DropReason;
import io.jcilium.agent.datapath.events.EventReader;
import io.jcilium.agent.datapath.events.EventType;
import io.jcilium.agent.datapath.libbpf.BpfProgram;
import io.jcilium.agent.datapath.libbpf.MonotonicClock;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.PolicyEntries;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pod-to-pod delivery on one node through the policy call map, with BPF_PROG_TEST_RUN:
 * the sender's from-container program tail-calls the receiver's lxc_policy, which applies
 * the receiver's ingress policy and redirects into the receiver pod with the MACs and TTL
 * a router would have produced. Two endpoints share pinned maps under a unique prefix,
 * removed afterwards.
 */
class LocalDeliveryIT {

	static final int TC_ACT_OK = 0;

	static final int TC_ACT_SHOT = 2;

	static final int TC_ACT_REDIRECT = 7;

	static final int ID_A = 11;

	static final int ID_B = 12;

	static final int IDENTITY_A = 3001;

	static final int IDENTITY_B = 3002;

	static final String A = "10.60.0.1";

	static final String B = "10.60.0.2";

	static final String A6 = "fd00:60::1";

	static final String B6 = "fd00:60::2";

	static final byte[] MAC_B = { 0x02, 0, 0, 0, 0, 0x0b };

	static final byte[] NODE_MAC_B = { 0x02, 0, 0, 0, 0, (byte) 0xbb };

	private BpffsLayout layout;

	private final List<EndpointProgram> programs = new ArrayList<>();

	private EndpointProgram a;

	private EndpointProgram b;

	private EventReader reader;

	private final BlockingQueue<DatapathEvent> events = new LinkedBlockingQueue<>();

	@BeforeEach
	void load() {
		KernelRequirements.requireBpf();
		this.layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT,
				"jcilium-ld-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff)));
		this.a = load(new DatapathStructs.LxcConfig(ID_A, IDENTITY_A, LxcProgramFixture.TEST_RUN_IFINDEX, 0));
		this.b = load(new DatapathStructs.LxcConfig(ID_B, IDENTITY_B, 22, 0));
		for (String ip : List.of(A, A6)) {
			this.a.ipcache().put(Packets.parse(ip), ip.contains(":") ? 128 : 32, IDENTITY_A, null);
			// A's own addresses and MAC: what A sends passes the source check
			this.a.endpoints()
				.put(Packets.parse(ip), new DatapathStructs.EndpointInfo(LxcProgramFixture.TEST_RUN_IFINDEX, ID_A, 0,
						Packets.sourceMac(), new byte[6], IDENTITY_A));
		}
		for (String ip : List.of(B, B6)) {
			this.a.ipcache().put(Packets.parse(ip), ip.contains(":") ? 128 : 32, IDENTITY_B, null);
			this.a.endpoints()
				.put(Packets.parse(ip), new DatapathStructs.EndpointInfo(22, ID_B, 0, MAC_B, NODE_MAC_B, IDENTITY_B));
		}
		this.a.policy().put(PolicyEntries.allowAll(TrafficDirection.EGRESS));
		this.b.policy()
			.put(PolicyEntries.ports(IDENTITY_A, TrafficDirection.INGRESS, PolicyEntries.TCP, 80, 80, false));
		this.reader = new EventReader(this.a.events(), this.events::add);
		this.reader.start();
	}

	private EndpointProgram load(DatapathStructs.LxcConfig config) {
		EndpointProgram program = new EndpointProgramLoader(TestLibbpf.get(),
				DatapathObjects.resolve(DatapathObjects.LXC), this.layout)
			.load(config);
		this.programs.add(program);
		return program;
	}

	@AfterEach
	void close() {
		if (this.reader != null) {
			this.reader.close();
		}
		this.programs.forEach(EndpointProgram::close);
		if (this.layout != null) {
			this.layout.removeAll();
		}
	}

	@Test
	void loaderRegistersEachEndpointsPolicyProgram() {
		assertThat(this.a.policyCalls().programId(ID_A)).isPresent();
		assertThat(this.a.policyCalls().programId(ID_B)).isPresent();
		assertThat(this.a.policyCalls().programId(ID_B)).isNotEqualTo(this.a.policyCalls().programId(ID_A));
	}

	@Test
	void allowedPacketGoesStraightIntoTheDestinationPodAsARouterWouldSendIt() {
		byte[] syn = Packets.tcp(A, B, 40000, 80, Packets.TCP_SYN);

		BpfProgram.TestRunResult result = this.a.fromContainer().testRun(syn, 1);

		assertThat(result.retval()).as("redirected to the peer of ifindex 22").isEqualTo(TC_ACT_REDIRECT);
		byte[] out = result.packetOut();
		assertThat(Arrays.copyOfRange(out, 0, 6)).as("destination MAC: pod B").isEqualTo(MAC_B);
		assertThat(Arrays.copyOfRange(out, 6, 12)).as("source MAC: B's gateway").isEqualTo(NODE_MAC_B);
		assertThat(out[14 + 8]).as("TTL decremented").isEqualTo((byte) 63);
		assertThat(ipv4HeaderChecksumValid(out)).isTrue();
		assertThat(this.b.conntrack().entries()).as("B's ingress connection tracked by B's program")
			.anySatisfy((key, entry) -> assertThat(key.direction()).isEqualTo(1));
		assertThat(this.b.metrics().get(0, TrafficDirection.INGRESS).count()).isEqualTo(1);
	}

	@Test
	void destinationIngressPolicyDropsWithTheDestinationsEvent() throws InterruptedException {
		assertThat(this.a.fromContainer().testRun(Packets.tcp(A, B, 40000, 81, Packets.TCP_SYN), 1).retval())
			.isEqualTo(TC_ACT_SHOT);

		DatapathEvent drop = awaitDrop();
		assertThat(drop.dropReason()).isEqualTo(DropReason.POLICY_DENIED);
		assertThat(drop.endpointId()).as("reported by the receiving endpoint").isEqualTo(ID_B);
		assertThat(drop.header().observationPoint()).isEqualTo(DatapathEvent.TRACE_TO_LXC);
		assertThat(drop.sourceIdentity()).as("passed along by the sender").isEqualTo(IDENTITY_A);
		assertThat(drop.destinationIdentity()).isEqualTo(IDENTITY_B);
		assertThat(drop.header().ifindex()).as("B's host-side veth").isEqualTo(22);
	}

	@Test
	void ipv6HopLimitIsDecrementedAndPolicyApplies() throws InterruptedException {
		BpfProgram.TestRunResult allowed = this.a.fromContainer()
			.testRun(Packets.tcp(A6, B6, 40000, 80, Packets.TCP_SYN), 1);
		assertThat(allowed.retval()).isEqualTo(TC_ACT_REDIRECT);
		assertThat(allowed.packetOut()[14 + 7]).as("hop limit").isEqualTo((byte) 63);
		assertThat(Arrays.copyOfRange(allowed.packetOut(), 0, 6)).isEqualTo(MAC_B);

		assertThat(this.a.fromContainer().testRun(Packets.tcp(A6, B6, 40001, 81, Packets.TCP_SYN), 1).retval())
			.isEqualTo(TC_ACT_SHOT);
		DatapathEvent drop = awaitDrop();
		assertThat(drop.header().flags() & 2).as("IPv6 flag").isEqualTo(2);
		assertThat(drop.sourceIdentity()).isEqualTo(IDENTITY_A);
	}

	@Test
	void withoutARegisteredProgramOrWithLegacyRoutingTheStackRoutesThePacket() {
		byte[] syn = Packets.tcp(A, B, 40000, 80, Packets.TCP_SYN);
		this.b.unregisterLocalDelivery();

		BpfProgram.TestRunResult result = this.a.fromContainer().testRun(syn, 1);
		assertThat(result.retval()).isEqualTo(TC_ACT_OK);
		assertThat(result.packetOut()).as("untouched: the stack forwards it").isEqualTo(syn);

		this.a.policyCalls().register(ID_B, this.b.lxcPolicy());
		EndpointProgram legacy = load(new DatapathStructs.LxcConfig(13, IDENTITY_A, LxcProgramFixture.TEST_RUN_IFINDEX,
				DatapathStructs.LxcConfig.F_LEGACY_ROUTING));
		legacy.policy().put(PolicyEntries.allowAll(TrafficDirection.EGRESS));
		legacy.endpoints()
			.put(Packets.parse("10.60.0.3"), new DatapathStructs.EndpointInfo(LxcProgramFixture.TEST_RUN_IFINDEX, 13, 0,
					Packets.sourceMac(), new byte[6], IDENTITY_A));
		assertThat(legacy.fromContainer().testRun(Packets.tcp("10.60.0.3", B, 40001, 80, Packets.TCP_SYN), 1).retval())
			.isEqualTo(TC_ACT_OK);
	}

	@Test
	void aConntrackEntryOwnedByAnotherEndpointIsNeverAReply() {
		// What A's program would have recorded for a forged reply-shaped packet
		// B:81 -> A:40000 sent out of A's interface (the source check stops that packet
		// now; the owner in the key makes such an entry worthless as well).
		long expires = MonotonicClock.nowSeconds() + 60;
		DatapathStructs.CtEntry entry = new DatapathStructs.CtEntry(1, 60, 0, 0, expires, IDENTITY_A, 0, 0);
		this.a.conntrack()
			.put(new DatapathStructs.CtKey(Packets.parse(A), Packets.parse(B), 40000, 81, 6, 0, ID_A), entry);

		assertThat(this.a.fromContainer().testRun(Packets.tcp(A, B, 40000, 81, Packets.TCP_SYN), 1).retval())
			.as("B's ingress policy still applies to A's connection")
			.isEqualTo(TC_ACT_SHOT);

		// the very same tuple recorded by B's own program is B's reply: the owner decides
		this.a.conntrack()
			.put(new DatapathStructs.CtKey(Packets.parse(A), Packets.parse(B), 40001, 81, 6, 0, ID_B), entry);
		assertThat(this.a.fromContainer().testRun(Packets.tcp(A, B, 40001, 81, Packets.TCP_SYN), 1).retval())
			.isEqualTo(TC_ACT_REDIRECT);
	}

	private static boolean ipv4HeaderChecksumValid(byte[] frame) {
		int sum = 0;
		for (int i = 14; i < 34; i += 2) {
			sum += ((frame[i] & 0xff) << 8) | (frame[i + 1] & 0xff);
		}
		while ((sum >> 16) != 0) {
			sum = (sum & 0xffff) + (sum >> 16);
		}
		return sum == 0xffff;
	}

	private DatapathEvent awaitDrop() throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() < deadline) {
			DatapathEvent event = this.events.poll(100, TimeUnit.MILLISECONDS);
			if (event != null && event.type() == EventType.DROP) {
				return event;
			}
		}
		throw new AssertionError("no drop event within 5 s");
	}

}
