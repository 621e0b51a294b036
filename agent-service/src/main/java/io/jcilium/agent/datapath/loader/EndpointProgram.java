package io.jcilium.agent.datapath.loader;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.BpfProgram;
import io.jcilium.agent.datapath.maps.ConntrackMap;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.EndpointsMap;
import io.jcilium.agent.datapath.maps.IpcacheMap;
import io.jcilium.agent.datapath.maps.MetricsMap;
import io.jcilium.agent.datapath.maps.PolicyMap;

/**
 * One endpoint's loaded bpf_lxc object: its two programs, its policy map and the node's
 * shared maps, typed. Closing it releases this process's fds only: pinned maps and
 * attached programs keep working in the kernel.
 */
public final class EndpointProgram implements AutoCloseable {

	private final BpfObject object;

	private final DatapathStructs.LxcConfig config;

	EndpointProgram(BpfObject object, DatapathStructs.LxcConfig config) {
		this.object = object;
		this.config = config;
	}

	public DatapathStructs.LxcConfig config() {
		return this.config;
	}

	/**
	 * The tc ingress program of the host-side veth (traffic leaving the pod).
	 * @return the program
	 */
	public BpfProgram fromContainer() {
		return this.object.program("from_container");
	}

	/**
	 * The tc egress program of the host-side veth (traffic delivered to the pod).
	 * @return the program
	 */
	public BpfProgram toContainer() {
		return this.object.program("to_container");
	}

	public PolicyMap policy() {
		return new PolicyMap(this.object.map("policy"));
	}

	public IpcacheMap ipcache() {
		return new IpcacheMap(this.object.map("ipcache"));
	}

	public EndpointsMap endpoints() {
		return new EndpointsMap(this.object.map("endpoints"));
	}

	public ConntrackMap conntrack() {
		return new ConntrackMap(this.object.map("ct"));
	}

	public MetricsMap metrics() {
		return new MetricsMap(this.object.map("metrics"));
	}

	/**
	 * The events ring buffer map (read it with an EventReader).
	 * @return the map
	 */
	public BpfMap events() {
		return this.object.map("events");
	}

	@Override
	public void close() {
		this.object.close();
	}

}
