package io.jcilium.agent.datapath.lb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.common.net.Protocol;

import io.jcilium.agent.service.lb.FrontendKey;
import io.jcilium.agent.service.lb.FrontendKind;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbFrontend;
import io.jcilium.agent.service.lb.LbProgrammer;
import io.jcilium.agent.service.lb.Scope;
import io.jcilium.agent.service.lb.ServiceName;

/**
 * {@code bench/services}: socket LB at growing numbers of ClusterIP services (5 backends
 * each): connect() p50/p99 from a pod to the first and the last service created, to a
 * backend pod directly for reference (in rounds alternating between the three, medians of
 * the rounds' figures), the time to program one service change (median of
 * {@code CHANGES}), and requests per second through the last service against the backend
 * pod directly ({@link RequestRates}). Everything it creates is removed at the end.
 * <p>
 * Arguments: sizes (comma separated, default 10,1000,10000), connects per figure (default
 * 2000), changes (default 51), request-rate rounds (default 5) and seconds per round
 * (default 1).
 */
public final class ServiceLbBench {

	private static final int BACKENDS = 5;

	private ServiceLbBench() {
	}

	public static void main(String[] args) throws Exception {
		int[] sizes = Arrays.stream(((args.length > 0) ? args[0] : "10,1000,10000").split(","))
			.mapToInt(Integer::parseInt)
			.toArray();
		int connects = (args.length > 1) ? Integer.parseInt(args[1]) : 2000;
		int changes = (args.length > 2) ? Integer.parseInt(args[2]) : 51;
		RequestRates rates = new RequestRates((args.length > 3) ? Integer.parseInt(args[3]) : 5,
				(args.length > 4) ? Double.parseDouble(args[4]) : 1);
		try (PodTopology topology = new PodTopology().createNode();
				Backends servers = new Backends();
				TestCgroup cgroup = TestCgroup.create();
				SocketLb socketLb = SocketLb.load(TestLibbpf.get(), DatapathObjects.resolve(SocketLb.OBJECT), null,
						new SocketLb.MapSizes(65536, 1024, 65535))) {
			List<L4Address> backends = new ArrayList<>();
			for (int i = 1; i <= BACKENDS; i++) {
				PodTopology.Pod pod = topology.addPod("b" + i, "10.202.0." + i);
				servers.tcp(pod, 8080);
				backends.add(L4Address.of(pod.address(), 8080, Protocol.TCP));
			}
			PodTopology.Pod client = topology.addPod("z", "10.202.0.99");
			socketLb.attach(cgroup.path());
			LbProgrammer programmer = new LbProgrammer(new BpfLbMaps(socketLb.maps()));
			Clients clients = new Clients(cgroup);
			System.out.printf("%-9s %-22s %-22s %-22s %-28s %s%n", "services", "first p50/p99 us", "last p50/p99 us",
					"pod direct p50/p99 us", "one change ms (median, p99)", RequestRates.HEADING);
			int programmed = 0;
			for (int size : sizes) {
				while (programmed < size) {
					programmer.apply(name(programmed), List.of(service(programmed, backends)));
					programmed++;
				}
				String[] latency = Latencies.alternate(clients, client.namespace(), connects,
						new Latencies.Target(vip(0), 80), new Latencies.Target(vip(size - 1), 80),
						new Latencies.Target("10.202.0.1", 8080));
				String change = changeMillis(programmer, size - 1, backends, changes);
				RequestRates.Figures requests = rates.measure(clients, client.namespace(), vip(size - 1), 80,
						"10.202.0.1", 8080);
				System.out.printf("%-9d %-22s %-22s %-22s %-28s %s%n", size, latency[0], latency[1], latency[2], change,
						requests.text());
			}
		}
	}

	private static String changeMillis(LbProgrammer programmer, int index, List<L4Address> backends, int changes) {
		long[] nanos = new long[changes];
		for (int i = 0; i < changes; i++) {
			// a scale-in and back: one backend slot and the master each time
			List<L4Address> next = (i % 2 == 0) ? backends.subList(0, BACKENDS - 1) : backends;
			long start = System.nanoTime();
			programmer.apply(name(index), List.of(service(index, next)));
			nanos[i] = System.nanoTime() - start;
		}
		Arrays.sort(nanos);
		return String.format("%.3f, %.3f", nanos[changes / 2] / 1e6,
				nanos[Math.min(changes - 1, changes * 99 / 100)] / 1e6);
	}

	private static ServiceName name(int index) {
		return new ServiceName("bench", "svc-" + index);
	}

	private static String vip(int index) {
		return "10.96." + (index >> 8) + "." + (index & 0xff);
	}

	private static LbFrontend service(int index, List<L4Address> backends) {
		FrontendKey key = new FrontendKey(L4Address.of(vip(index), 80, Protocol.TCP), Scope.EXTERNAL);
		return new LbFrontend(key, FrontendKind.CLUSTER_IP, FrontendKind.CLUSTER_IP.flag(), 0, backends);
	}

}
