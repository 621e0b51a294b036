package io.jcilium.agent.datapath;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.loader.EndpointProgramLoader;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.PolicyEntries;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.agent.datapath.tc.TcAttachPoint;

/**
 * A node namespace with three pods for attack tests, bpf_lxc attached to each the way the
 * agent does it (endpoints and ipcache entries for both address families, own MACs):
 * server S (endpoint 1), client C (2) and attacker X (3). Every pod may send anywhere; S
 * admits C on TCP 8080 and UDP 9090, anyone on UDP 9191 and ping; C and X admit nothing
 * unsolicited. {@link #close()} removes namespaces and pins, also after a half-finished
 * setup.
 */
final class ThreePodNode implements AutoCloseable {

	static final int IDENTITY_S = 2101;

	static final int IDENTITY_C = 2102;

	static final int IDENTITY_X = 2103;

	static final int ENDPOINT_S = 1;

	static final int ENDPOINT_C = 2;

	static final int ENDPOINT_X = 3;

	final PodTopology topology = new PodTopology();

	final BpffsLayout layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT, "jcilium-atk-" + this.topology.runId());

	final List<EndpointProgram> programs = new ArrayList<>();

	PodTopology.Pod s;

	PodTopology.Pod c;

	PodTopology.Pod x;

	ThreePodNode start() {
		this.topology.createNode();
		this.s = this.topology.addPod("s", "10.210.0.1", "fd00:210::1");
		this.c = this.topology.addPod("c", "10.210.0.2", "fd00:210::2");
		this.x = this.topology.addPod("x", "10.210.0.3", "fd00:210::3");
		EndpointProgramLoader loader = new EndpointProgramLoader(TestLibbpf.get(),
				DatapathObjects.resolve(DatapathObjects.LXC), this.layout);
		int[] identities = { IDENTITY_S, IDENTITY_C, IDENTITY_X };
		List<PodTopology.Pod> pods = List.of(this.s, this.c, this.x);
		for (int i = 0; i < pods.size(); i++) {
			PodTopology.Pod pod = pods.get(i);
			int ifindex = NetworkNamespace.interfaceIndex(this.topology.nodeNamespacePath(), pod.hostInterface());
			EndpointProgram program = loader.load(new DatapathStructs.LxcConfig(i + 1, identities[i], ifindex, 0));
			this.programs.add(program);
			DatapathStructs.EndpointInfo info = new DatapathStructs.EndpointInfo(ifindex, i + 1, 0, pod.mac(),
					this.topology.hostMac(pod), identities[i]);
			for (String address : List.of(pod.address(), pod.address6())) {
				program.ipcache().put(Packets.parse(address), address.contains(":") ? 128 : 32, identities[i], null);
				program.endpoints().put(Packets.parse(address), info);
			}
			program.policy().put(PolicyEntries.allowAll(TrafficDirection.EGRESS));
			NetworkNamespace.call(this.topology.nodeNamespacePath(), () -> {
				TestLibbpf.tcHooks().attach(ifindex, TcAttachPoint.INGRESS, program.fromContainer());
				TestLibbpf.tcHooks().attach(ifindex, TcAttachPoint.EGRESS, program.toContainer());
				return null;
			});
		}
		EndpointProgram server = server();
		server.policy()
			.put(PolicyEntries.ports(IDENTITY_C, TrafficDirection.INGRESS, PolicyEntries.TCP, 8080, 8080, false));
		server.policy()
			.put(PolicyEntries.ports(IDENTITY_C, TrafficDirection.INGRESS, PolicyEntries.UDP, 9090, 9090, false));
		server.policy()
			.put(PolicyEntries.ports(PolicyEntries.ANY_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.UDP, 9191,
					9191, false));
		server.policy()
			.put(PolicyEntries.icmp(PolicyEntries.ANY_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.ICMP, 8,
					false));
		server.policy()
			.put(PolicyEntries.icmp(PolicyEntries.ANY_IDENTITY, TrafficDirection.INGRESS, PolicyEntries.ICMPV6, 128,
					false));
		return this;
	}

	EndpointProgram server() {
		return this.programs.get(0);
	}

	/**
	 * A frame as the pod's own stack would send it: its MAC, to its gateway's.
	 * @param pod the sender
	 * @param frame the frame
	 * @return a copy with the pod's MACs
	 */
	byte[] fromPod(PodTopology.Pod pod, byte[] frame) {
		return Packets.withMacs(frame, this.topology.hostMac(pod), pod.mac());
	}

	@Override
	public void close() {
		this.programs.forEach(EndpointProgram::close);
		this.topology.close();
		this.layout.removeAll();
	}

}
