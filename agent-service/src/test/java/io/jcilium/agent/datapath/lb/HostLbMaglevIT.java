package io.jcilium.agent.datapath.lb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.libbpf.BpfProgram;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.EndpointsMap;
import io.jcilium.common.net.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.service.lb.FrontendKey;
import io.jcilium.agent.service.lb.FrontendKind;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbFrontend;
import io.jcilium.agent.service.lb.LbProgrammer;
import io.jcilium.agent.service.lb.Scope;
import io.jcilium.agent.service.lb.ServiceName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Maglev in the kernel: two agents (two loads of {@code bpf_host.o} with their own maps)
 * program the same LoadBalancer service, with different backend ids and in a different
 * order; a client's SYN run through each agent's {@code from_netdev} is sent to the same
 * backend by both, for every tuple tried, and the rewritten packets carry valid IPv4 and
 * TCP checksums.
 */
class HostLbMaglevIT {

	private static final int M = 251;

	private static final String VIP = "10.96.205.1";

	private final List<HostLb> agents = new ArrayList<>();

	@AfterEach
	void close() {
		this.agents.forEach(HostLb::close);
	}

	@Test
	void theSameTupleGoesToTheSameBackendOnEveryAgent() {
		KernelRequirements.requireBpfAndTools();
		List<L4Address> backends = IntStream.rangeClosed(1, 5)
			.mapToObj((i) -> L4Address.of("10.205.0." + i, 8080, Protocol.TCP))
			.toList();
		BpfProgram first = agent(backends, false);
		List<L4Address> reversed = new ArrayList<>(backends);
		Collections.reverse(reversed);
		BpfProgram second = agent(reversed, true);

		Random random = new Random(15);
		Set<String> chosen = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			String client = "198.51.100." + (1 + random.nextInt(250));
			int port = 1024 + random.nextInt(60000);
			byte[] syn = Packets.tcp(client, VIP, port, 80, Packets.TCP_SYN);
			BpfProgram.TestRunResult one = first.testRun(syn, 1);
			BpfProgram.TestRunResult two = second.testRun(syn, 1);
			assertThat(one.retval()).as("TC_ACT_OK").isZero();
			assertThat(two.retval()).isZero();
			String backend = destination(one.packetOut());
			assertThat(destination(two.packetOut())).as("tuple %s:%d", client, port).isEqualTo(backend);
			assertThat(port(one.packetOut())).isEqualTo(8080);
			assertThat(ipChecksumValid(one.packetOut())).as("IPv4 header checksum after DNAT").isTrue();
			assertThat(tcpChecksumValid(one.packetOut())).as("TCP checksum after DNAT").isTrue();
			chosen.add(backend);
		}
		assertThat(chosen).as("the tuples spread over every backend")
			.containsExactlyInAnyOrderElementsOf(backends.stream().map((b) -> b.address().getHostAddress()).toList());
	}

	/**
	 * Loads one agent's object and programs the service; the backends are its local pods.
	 */
	private BpfProgram agent(List<L4Address> backends, boolean otherServiceFirst) {
		HostLb agent = HostLb.load(TestLibbpf.get(), DatapathObjects.resolve(HostLb.OBJECT), null,
				new SocketLb.MapSizes(1024, 1024, 1024), new HostLb.BackendSelection(M), 1024);
		this.agents.add(agent);
		EndpointsMap endpoints = new EndpointsMap(agent.map("endpoints"));
		for (L4Address backend : backends) {
			endpoints.put(backend.address(), new DatapathStructs.EndpointInfo(0, 0, 0, new byte[6], new byte[6], 0));
		}
		LbProgrammer programmer = new LbProgrammer(new BpfLbMaps(agent.maps(), agent.maglevMap()), M);
		if (otherServiceFirst) {
			// takes backend ids 1 and 2 on this agent only
			programmer.apply(new ServiceName("test", "other"), List.of(frontend("10.96.205.2", List
				.of(L4Address.of("10.205.1.1", 80, Protocol.TCP), L4Address.of("10.205.1.2", 80, Protocol.TCP)))));
		}
		programmer.apply(new ServiceName("test", "web"), List.of(frontend(VIP, backends)));
		return agent.program("from_netdev");
	}

	private static LbFrontend frontend(String vip, List<L4Address> backends) {
		return new LbFrontend(new FrontendKey(L4Address.of(vip, 80, Protocol.TCP), Scope.EXTERNAL),
				FrontendKind.LOAD_BALANCER, FrontendKind.LOAD_BALANCER.flag(), 0, backends);
	}

	private static String destination(byte[] frame) {
		int at = 14 + 16;
		return (frame[at] & 0xff) + "." + (frame[at + 1] & 0xff) + "." + (frame[at + 2] & 0xff) + "."
				+ (frame[at + 3] & 0xff);
	}

	private static int port(byte[] frame) {
		return ((frame[14 + 20 + 2] & 0xff) << 8) | (frame[14 + 20 + 3] & 0xff);
	}

	private static boolean ipChecksumValid(byte[] frame) {
		return fold(sum(frame, 14, 20)) == 0xffff;
	}

	private static boolean tcpChecksumValid(byte[] frame) {
		int length = frame.length - 14 - 20;
		int pseudo = sum(frame, 14 + 12, 8) + 6 + length;
		return fold(pseudo + sum(frame, 14 + 20, length)) == 0xffff;
	}

	private static int sum(byte[] bytes, int offset, int length) {
		int sum = 0;
		for (int i = 0; i < length; i += 2) {
			int high = bytes[offset + i] & 0xff;
			int low = (i + 1 < length) ? bytes[offset + i + 1] & 0xff : 0;
			sum += (high << 8) | low;
		}
		return sum;
	}

	private static int fold(int sum) {
		while ((sum >>> 16) != 0) {
			sum = (sum & 0xffff) + (sum >>> 16);
		}
		return sum;
	}

}
