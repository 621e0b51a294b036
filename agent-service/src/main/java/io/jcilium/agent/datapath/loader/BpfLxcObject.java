package io.jcilium.agent.datapath.loader;

import java.nio.file.Path;
import java.util.function.Function;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.maps.ConntrackMap;
import io.jcilium.agent.datapath.maps.EndpointConfigMap;
import io.jcilium.agent.datapath.maps.EndpointIfindexMap;
import io.jcilium.agent.datapath.maps.EndpointPolicyMaps;
import io.jcilium.agent.datapath.maps.EndpointsMap;
import io.jcilium.agent.datapath.maps.IpcacheMap;
import io.jcilium.agent.datapath.maps.MetricsMap;
import io.jcilium.agent.datapath.maps.PolicyCallMap;
import io.jcilium.agent.datapath.maps.PolicyRevisionMap;

/**
 * A loaded bpf_lxc object and typed access to the node's shared maps in it. The
 * endpoints' programs (one loaded object for all of them) and the node's maps come from
 * the same object file, so they see the same maps (pinned once, reused by name). Closing
 * releases this process's fds only.
 */
public abstract sealed class BpfLxcObject implements AutoCloseable permits EndpointProgram, NodeMaps {

	private final BpfObject object;

	BpfLxcObject(BpfObject object) {
		this.object = object;
	}

	/**
	 * Opens the object file, lets {@code prepareAndLoad} set it up and load it, and
	 * closes the object again if that fails (a half-loaded object must not leak its fds).
	 * @param <T> what {@code prepareAndLoad} makes of the loaded object
	 * @param libbpf the loaded library
	 * @param objectFile the compiled bpf_lxc.o
	 * @param prepareAndLoad sets constants and pins, loads, and wraps the object
	 * @return the wrapped object
	 */
	static <T extends BpfLxcObject> T open(Libbpf libbpf, Path objectFile, Function<BpfObject, T> prepareAndLoad) {
		BpfObject object = BpfObject.open(libbpf, objectFile);
		try {
			return prepareAndLoad.apply(object);
		}
		catch (RuntimeException ex) {
			object.close();
			throw ex;
		}
	}

	final BpfObject object() {
		return this.object;
	}

	public IpcacheMap ipcache() {
		return new IpcacheMap(this.object.map("ipcache"));
	}

	public EndpointsMap endpoints() {
		return new EndpointsMap(this.object.map("endpoints"));
	}

	/**
	 * The node's endpoint settings map: what each endpoint's programs read on every run.
	 * @return the map
	 */
	public EndpointConfigMap endpointConfig() {
		return new EndpointConfigMap(this.object.map("endpoint_config"));
	}

	/**
	 * Which endpoint each host-side veth belongs to: how the shared programs know whose
	 * packet they run for.
	 * @return the map
	 */
	public EndpointIfindexMap endpointIfindex() {
		return new EndpointIfindexMap(this.object.map("lxc_ifindex"));
	}

	/**
	 * The endpoints' policy tries, by endpoint id.
	 * @return the map-of-maps
	 */
	public EndpointPolicyMaps policyMaps() {
		return new EndpointPolicyMaps(this.object.map("policy"));
	}

	/**
	 * The endpoints' policy revisions, by endpoint id.
	 * @return the map
	 */
	public PolicyRevisionMap policyRevisions() {
		return new PolicyRevisionMap(this.object.map("policy_revision"));
	}

	public ConntrackMap conntrack() {
		return new ConntrackMap(this.object.map("ct"), this.object.map("ct_created"), this.object.map("ct_released"));
	}

	/**
	 * The node's policy call map: which endpoints take packets from local pods directly.
	 * @return the map
	 */
	public PolicyCallMap policyCalls() {
		return new PolicyCallMap(this.object.map("policy_calls"));
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

	/**
	 * Per-CPU count of events the ring buffer had no room for.
	 * @return the map
	 */
	public BpfMap eventsLost() {
		return this.object.map("events_lost");
	}

	@Override
	public void close() {
		this.object.close();
	}

}
