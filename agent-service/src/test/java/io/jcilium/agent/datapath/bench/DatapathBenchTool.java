package io.jcilium.agent.datapath.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.libbpf.BpfProgram;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.loader.EndpointProgramLoader;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.PolicyMap;
import io.jcilium.agent.datapath.maps.PolicyEntries;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.agent.datapath.tc.TcAttachPoint;

/**
 * Driver for bench/datapath/run.sh (not a test):
 * <ul>
 * <li>{@code attach <bpffs-prefix> <node-netns> <pod-netns-a> <if-a> <ip-a> <pod-netns-b> <if-b>
 * <ip-b> <policy-entries> [legacy]} loads bpf_lxc for two pods, registers both as local
 * endpoints (so they deliver to each other directly, unless {@code legacy} asks for the
 * routing stack), fills B's policy map to the given size and attaches; the programs stay
 * attached and the maps pinned after the JVM exits.</li>
 * <li>{@code testrun <policy-entries> <repeat>} prints the per-packet cost of the main
 * paths from BPF_PROG_TEST_RUN.</li>
 * </ul>
 */
public final class DatapathBenchTool {

	static final int IDENTITY_A = 1001;

	static final int IDENTITY_B = 1002;

	static final int IPERF_PORT = 5201;

	static final int RR_PORT = 7000;

	private DatapathBenchTool() {
	}

	public static void main(String[] args) {
		if ((args.length == 10 || args.length == 11) && args[0].equals("attach")) {
			boolean legacy = args.length == 11 && args[10].equals("legacy");
			attach(args[1], args[2], new BenchPod(args[3], args[4], args[5]), new BenchPod(args[6], args[7], args[8]),
					Integer.parseInt(args[9]), legacy);
		}
		else if (args.length == 3 && args[0].equals("testrun")) {
			testRun(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
		}
		else {
			System.err.println("usage: attach <prefix> <node-netns> <netns-a> <if-a> <ip-a> <netns-b> <if-b> <ip-b>"
					+ " <entries> [legacy] | testrun <entries> <repeat>; got " + Arrays.toString(args));
			System.exit(2);
		}
	}

	private static void attach(String prefix, String nodeNs, BenchPod podA, BenchPod podB, int entries,
			boolean legacy) {
		EndpointProgramLoader loader = new EndpointProgramLoader(TestLibbpf.get(),
				DatapathObjects.resolve(DatapathObjects.LXC), new BpffsLayout(BpffsLayout.DEFAULT_ROOT, prefix));
		Path nodePath = PodTopology.namespacePath(nodeNs);
		int ifindexA = NetworkNamespace.interfaceIndex(nodePath, podA.hostInterface());
		int ifindexB = NetworkNamespace.interfaceIndex(nodePath, podB.hostInterface());
		int flags = legacy ? DatapathStructs.LxcConfig.F_LEGACY_ROUTING : 0;
		try (EndpointProgram a = loader.load(new DatapathStructs.LxcConfig(1, IDENTITY_A, ifindexA, flags));
				EndpointProgram b = loader.load(new DatapathStructs.LxcConfig(2, IDENTITY_B, ifindexB, flags))) {
			a.ipcache().put(Packets.parse(podA.ip()), 32, IDENTITY_A, null);
			a.ipcache().put(Packets.parse(podB.ip()), 32, IDENTITY_B, null);
			a.endpoints().put(Packets.parse(podA.ip()), podA.endpointInfo(nodeNs, ifindexA, 1, IDENTITY_A));
			a.endpoints().put(Packets.parse(podB.ip()), podB.endpointInfo(nodeNs, ifindexB, 2, IDENTITY_B));
			a.policy().put(PolicyEntries.allowAll(TrafficDirection.EGRESS));
			b.policy().put(PolicyEntries.allowAll(TrafficDirection.EGRESS));
			fillIngressPolicy(b.policy(), entries);
			NetworkNamespace.call(nodePath, () -> {
				TestLibbpf.tcHooks().attach(ifindexA, TcAttachPoint.INGRESS, a.fromContainer());
				TestLibbpf.tcHooks().attach(ifindexA, TcAttachPoint.EGRESS, a.toContainer());
				TestLibbpf.tcHooks().attach(ifindexB, TcAttachPoint.INGRESS, b.fromContainer());
				TestLibbpf.tcHooks().attach(ifindexB, TcAttachPoint.EGRESS, b.toContainer());
				return null;
			});
			System.out.println("attached (" + (legacy ? "legacy routing" : "local delivery") + "); B's policy map has "
					+ b.policy().entries().size() + " entries");
		}
	}

	/**
	 * A pod of the bench topology.
	 */
	private record BenchPod(String namespace, String hostInterface, String ip) {

		DatapathStructs.EndpointInfo endpointInfo(String nodeNs, int ifindex, int endpointId, int identity) {
			return new DatapathStructs.EndpointInfo(ifindex, endpointId, 0,
					PodTopology.macAddress(this.namespace, "eth0"), PodTopology.macAddress(nodeNs, this.hostInterface),
					identity);
		}

	}

	/**
	 * A's allowed ports plus filler rules for other identities, to the requested size.
	 */
	static void fillIngressPolicy(PolicyMap policy, int entries) {
		policy.put(PolicyEntries.ports(IDENTITY_A, TrafficDirection.INGRESS, PolicyEntries.TCP, IPERF_PORT, IPERF_PORT,
				false));
		policy
			.put(PolicyEntries.ports(IDENTITY_A, TrafficDirection.INGRESS, PolicyEntries.TCP, RR_PORT, RR_PORT, false));
		policy.put(PolicyEntries.icmp(IDENTITY_A, TrafficDirection.INGRESS, PolicyEntries.ICMP, 8, false));
		for (int i = 0; i < entries - 4; i++) {
			policy.put(PolicyEntries.ports(20000 + i, TrafficDirection.INGRESS, PolicyEntries.TCP, 1024 + (i % 60000),
					1024 + (i % 60000), false));
		}
		policy.put(PolicyEntries.ports(PolicyEntries.ANY_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.TCP, 22, 22,
				true));
	}

	private static void testRun(int entries, int repeat) {
		// pinned under a throwaway prefix: the two endpoints share the policy call map
		BpffsLayout layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT,
				"jcilium-bench-testrun-" + ProcessHandle.current().pid());
		EndpointProgramLoader loader = new EndpointProgramLoader(TestLibbpf.get(),
				DatapathObjects.resolve(DatapathObjects.LXC), layout);
		String a = "10.250.0.1";
		String b = "10.250.0.2";
		try (EndpointProgram ep = loader.load(new DatapathStructs.LxcConfig(2, IDENTITY_B, 1, 0));
				EndpointProgram sender = loader.load(new DatapathStructs.LxcConfig(1, IDENTITY_A, 3, 0))) {
			ep.ipcache().put(Packets.parse(a), 32, IDENTITY_A, null);
			ep.ipcache().put(Packets.parse(b), 32, IDENTITY_B, null);
			// B's address and MAC as the agent writes them: what B sends passes the
			// source check
			ep.endpoints()
				.put(Packets.parse(b),
						new DatapathStructs.EndpointInfo(1, 2, 0, Packets.sourceMac(), new byte[6], IDENTITY_B));
			fillIngressPolicy(ep.policy(), entries);
			ep.policy().put(PolicyEntries.allowAll(TrafficDirection.EGRESS));
			sender.policy().put(PolicyEntries.allowAll(TrafficDirection.EGRESS));
			BpfProgram to = ep.toContainer();
			BpfProgram from = ep.fromContainer();
			byte[] syn = Packets.tcp(a, b, 40000, IPERF_PORT, Packets.TCP_SYN);
			to.testRun(syn, 1);
			report("non-IP frame (ARP), parse only", to, Packets.arp(), repeat);
			report("to-container, established TCP (verdict cached in conntrack)", to,
					Packets.tcp(a, b, 40000, IPERF_PORT, Packets.TCP_ACK), repeat);
			report("from-container, reply of tracked TCP (no policy)", from,
					Packets.tcp(b, a, IPERF_PORT, 40000, Packets.TCP_ACK), repeat);
			report("to-container, denied TCP (drop + event)", to, Packets.tcp(a, b, 40001, 9, Packets.TCP_SYN), repeat);

			// Local delivery: A's from-container tail-calls B's lxc_policy. The test run
			// reuses one skb, so a rewritten TTL would run out after 63 runs: TTL 1 from
			// the start keeps every run alike (both sides' conntrack and the tail call,
			// without the MAC/TTL rewrite and the redirect).
			ep.endpoints()
				.put(Packets.parse(a),
						new DatapathStructs.EndpointInfo(3, 1, 0, Packets.sourceMac(), new byte[6], IDENTITY_A));
			// the test run's packets arrive on the loopback device: A takes its ifindex
			// now
			sender.configure(new DatapathStructs.LxcConfig(1, IDENTITY_A, 1, 0));
			sender.fromContainer().testRun(Packets.tcp(a, b, 40002, IPERF_PORT, Packets.TCP_SYN), 1);
			byte[] established = Packets.tcp(a, b, 40002, IPERF_PORT, Packets.TCP_ACK);
			established[14 + 8] = 1;
			report("from-container + tail call into the receiver's lxc_policy, established TCP", sender.fromContainer(),
					established, repeat);
		}
		finally {
			layout.removeAll();
		}
	}

	private static void report(String what, BpfProgram program, byte[] frame, int repeat) {
		BpfProgram.TestRunResult result = program.testRun(frame, repeat);
		System.out.printf(Locale.ROOT, "%-70s %6d ns/packet (verdict %d, %d runs)%n", what, result.durationNs(),
				result.retval(), repeat);
	}

}
