package io.jcilium.agent.datapath.loader;

import java.nio.file.Path;

import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.Libbpf;

/**
 * The node's shared maps (ipcache, endpoints, conntrack, metrics, events), pinned under
 * the bpffs layout: created on the first start, found again after a restart. Created from
 * the same object the endpoint programs use (programs not loaded), so definitions can
 * never drift apart.
 */
public final class NodeMaps extends BpfLxcObject {

	private NodeMaps(BpfObject object) {
		super(object);
	}

	/**
	 * Opens the pinned shared maps, creating and pinning any that are missing.
	 * @param libbpf the loaded library
	 * @param objectFile the compiled bpf_lxc.o
	 * @param layout where the maps are pinned
	 * @return the maps
	 */
	public static NodeMaps openOrCreate(Libbpf libbpf, Path objectFile, BpffsLayout layout) {
		return open(libbpf, objectFile, (object) -> {
			layout.create();
			object.mapsOnly(EndpointProgramLoader.POLICY_TEMPLATE);
			layout.pinSharedMaps(object);
			object.load();
			return new NodeMaps(object);
		});
	}

}
