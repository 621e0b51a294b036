package io.jcilium.agent.datapath.lb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.libbpf.BpfProgram;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.EndpointsMap;
import io.jcilium.common.net.Protocol;

import io.jcilium.agent.service.lb.FrontendKey;
import io.jcilium.agent.service.lb.FrontendKind;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbFrontend;
import io.jcilium.agent.service.lb.LbProgrammer;
import io.jcilium.agent.service.lb.Scope;
import io.jcilium.agent.service.lb.ServiceName;

/**
 * {@code bench/services} (tc LB part): the per-packet cost of {@code from_netdev}, run
 * with {@code BPF_PROG_TEST_RUN} on private maps, at growing numbers of LoadBalancer
 * services with 5 local backends each: a new connection's SYN (backend choice, two NAT
 * entries, rewrite; median of {@code NEW_CONNECTIONS} tuples) and a packet of an
 * established connection (one NAT lookup, rewrite; mean of {@code REPEAT} runs), to the
 * first and the last service created; random selection and Maglev; and the time to
 * program one service change (median), which with Maglev includes computing the table.
 * <p>
 * Arguments: sizes (default 10,1000,10000), Maglev table size (default 1021: 10,000
 * tables of 16381 entries would take 655 MB of kernel memory).
 */
public final class HostLbBench {

	private static final int BACKENDS = 5;

	private static final int NEW_CONNECTIONS = 2001;

	private static final int REPEAT = 100000;

	private static final int CHANGES = 51;

	/** A new source port per figure, so every SYN measured opens a new connection. */
	private static int nextPort = 10000;

	private HostLbBench() {
	}

	public static void main(String[] args) {
		int[] sizes = Arrays.stream(((args.length > 0) ? args[0] : "10,1000,10000").split(","))
			.mapToInt(Integer::parseInt)
			.toArray();
		int maglev = (args.length > 1) ? Integer.parseInt(args[1]) : 1021;
		System.out.printf("%-8s %-9s %-26s %-26s %s%n", "select", "services", "first: new / established ns",
				"last: new / established ns", "one change ms (median)");
		for (int tableSize : new int[] { 0, maglev }) {
			run(sizes, tableSize);
		}
	}

	private static void run(int[] sizes, int tableSize) {
		int largest = Arrays.stream(sizes).max().orElse(10);
		try (HostLb host = HostLb.load(TestLibbpf.get(), DatapathObjects.resolve(HostLb.OBJECT), null,
				new SocketLb.MapSizes(largest * (BACKENDS + 1) + 64, 4096, 65535),
				new HostLb.BackendSelection(tableSize), 262144)) {
			List<L4Address> backends = new ArrayList<>();
			EndpointsMap endpoints = new EndpointsMap(host.map("endpoints"));
			for (int i = 1; i <= BACKENDS; i++) {
				L4Address backend = L4Address.of("10.206.0." + i, 8080, Protocol.TCP);
				backends.add(backend);
				endpoints.put(backend.address(),
						new DatapathStructs.EndpointInfo(0, 0, 0, new byte[6], new byte[6], 0));
			}
			LbProgrammer programmer = new LbProgrammer(new BpfLbMaps(host.maps(), host.maglevMap()), tableSize);
			BpfProgram program = host.program("from_netdev");
			int programmed = 0;
			for (int size : sizes) {
				for (; programmed < size; programmed++) {
					programmer.apply(name(programmed), List.of(frontend(programmed, backends)));
				}
				String first = packetCost(program, vip(0));
				String last = packetCost(program, vip(size - 1));
				double change = changeMillis(programmer, size - 1, backends);
				System.out.printf("%-8s %-9d %-26s %-26s %.3f%n", (tableSize == 0) ? "random" : "maglev" + tableSize,
						size, first, last, change);
			}
		}
	}

	private static String packetCost(BpfProgram program, String vip) {
		int port = nextPort++;
		long[] durations = new long[NEW_CONNECTIONS];
		for (int i = 0; i < NEW_CONNECTIONS; i++) {
			String client = "198.18." + (i / 250) + "." + (i % 250 + 1);
			durations[i] = program.testRun(Packets.tcp(client, vip, port, 80, Packets.TCP_SYN), 1).durationNs();
		}
		Arrays.sort(durations);
		byte[] established = Packets.tcp("198.18.0.1", vip, port, 80, Packets.TCP_ACK);
		long perPacket = program.testRun(established, REPEAT).durationNs();
		return durations[NEW_CONNECTIONS / 2] + " / " + perPacket;
	}

	private static double changeMillis(LbProgrammer programmer, int index, List<L4Address> backends) {
		double[] millis = new double[CHANGES];
		for (int i = 0; i < CHANGES; i++) {
			List<L4Address> next = (i % 2 == 0) ? backends.subList(0, BACKENDS - 1) : backends;
			long start = System.nanoTime();
			programmer.apply(name(index), List.of(frontend(index, next)));
			millis[i] = (System.nanoTime() - start) / 1e6;
		}
		Arrays.sort(millis);
		return millis[CHANGES / 2];
	}

	private static ServiceName name(int index) {
		return new ServiceName("bench", "svc-" + index);
	}

	private static String vip(int index) {
		return "10.207." + (index / 250) + "." + (index % 250 + 1);
	}

	private static LbFrontend frontend(int index, List<L4Address> backends) {
		return new LbFrontend(new FrontendKey(L4Address.of(vip(index), 80, Protocol.TCP), Scope.EXTERNAL),
				FrontendKind.LOAD_BALANCER, FrontendKind.LOAD_BALANCER.flag(), 0, backends);
	}

}
