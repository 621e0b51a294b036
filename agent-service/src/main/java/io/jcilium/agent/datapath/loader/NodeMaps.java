package io.jcilium.agent.datapath.loader;

import java.nio.file.Path;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.maps.ConntrackMap;
import io.jcilium.agent.datapath.maps.EndpointsMap;
import io.jcilium.agent.datapath.maps.IpcacheMap;
import io.jcilium.agent.datapath.maps.MetricsMap;

/**
 * The node's shared maps (ipcache, endpoints, conntrack, metrics, events), pinned under
 * the bpffs layout: created on the first start, found again after a restart. Created from
 * the same object the endpoint programs use (programs not loaded), so definitions can
 * never drift apart.
 */
public final class NodeMaps implements AutoCloseable {

	private final BpfObject object;

	private NodeMaps(BpfObject object) {
		this.object = object;
	}

	/**
	 * Opens the pinned shared maps, creating and pinning any that are missing.
	 * @param objectFile the compiled bpf_lxc.o
	 * @param layout where the maps are pinned
	 * @return the maps
	 */
	public static NodeMaps openOrCreate(Path objectFile, BpffsLayout layout) {
		BpfObject object = BpfObject.open(objectFile);
		try {
			layout.create();
			object.mapsOnly("policy");
			for (String map : BpffsLayout.SHARED_MAPS) {
				object.pinMap(map, layout.sharedMap(map));
			}
			object.load();
			return new NodeMaps(object);
		}
		catch (RuntimeException ex) {
			object.close();
			throw ex;
		}
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

	public BpfMap events() {
		return this.object.map("events");
	}

	@Override
	public void close() {
		this.object.close();
	}

}
