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
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.events.DatapathEvent;
import io.jcilium.agent.datapath.events.EventReader;
import io.jcilium.agent.datapath.events.EventType;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.common.policy.engine.MapEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * One bpf_lxc object loaded with private (unpinned) maps per test, for crafted packets
 * through BPF_PROG_TEST_RUN: endpoint 42 (identity 1000) at POD/POD6 with the MAC every
 * {@link Packets} frame is sent from, peers in the ipcache, events collected.
 */
abstract class LxcProgramFixture {

	static final int TC_ACT_OK = 0;

	static final int TC_ACT_SHOT = 2;

	static final int ENDPOINT_ID = 42;

	/**
	 * BPF_PROG_TEST_RUN runs a packet on the loopback device: the shared programs find
	 * the endpoint under its ifindex, as they find a real one under its veth's.
	 */
	static final int TEST_RUN_IFINDEX = 1;

	static final int POD_IDENTITY = 1000;

	static final int PEER_IDENTITY = 2000;

	static final int OTHER_IDENTITY = 3000;

	static final String POD = "10.0.1.1";

	static final String PEER = "10.0.2.2";

	static final String OTHER = "10.0.3.3";

	static final String POD6 = "fd00::1:1";

	static final String PEER6 = "fd00::2:2";

	static final String GATEWAY6 = "fe80::1";

	EndpointProgram program;

	EventReader reader;

	final BlockingQueue<DatapathEvent> events = new LinkedBlockingQueue<>();

	@BeforeEach
	void load() {
		KernelRequirements.requireBpf();
		EndpointProgramLoader loader = new EndpointProgramLoader(TestLibbpf.get(),
				DatapathObjects.resolve(DatapathObjects.LXC), null);
		this.program = loader.load(new DatapathStructs.LxcConfig(ENDPOINT_ID, POD_IDENTITY, TEST_RUN_IFINDEX, 0));
		this.program.ipcache().put(ip(PEER), 32, PEER_IDENTITY, null);
		this.program.ipcache().put(ip("10.0.3.0"), 24, OTHER_IDENTITY, null);
		this.program.ipcache().put(ip(PEER6), 128, PEER_IDENTITY, null);
		this.program.ipcache().put(ip(POD), 32, POD_IDENTITY, null);
		// the pod's own addresses and MAC, as the agent writes them: what it sends
		// passes the source check
		for (String address : List.of(POD, POD6)) {
			this.program.endpoints()
				.put(ip(address), new DatapathStructs.EndpointInfo(TEST_RUN_IFINDEX, ENDPOINT_ID, 0,
						Packets.sourceMac(), new byte[6], POD_IDENTITY));
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

	void allow(List<MapEntry> entry) {
		this.program.policy().put(entry);
	}

	int egress(byte[] frame) {
		return this.program.fromContainer().testRun(frame, 1).retval();
	}

	int ingress(byte[] frame) {
		return this.program.toContainer().testRun(frame, 1).retval();
	}

	DatapathEvent awaitEvent(EventType type) throws InterruptedException {
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
