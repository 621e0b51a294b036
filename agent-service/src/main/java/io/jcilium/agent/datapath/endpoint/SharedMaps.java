package io.jcilium.agent.datapath.endpoint;

import java.nio.file.Path;

import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.loader.NodeMaps;

/**
 * The node's pinned shared maps, opened on first use (never at construction) and released
 * on close; the pins stay. Endpoints and the ipcache cell write through it whether or not
 * the datapath lifecycle has started yet.
 */
public final class SharedMaps implements AutoCloseable {

	private final Libbpf libbpf;

	private final Path objectFile;

	private final BpffsLayout layout;

	private NodeMaps maps;

	private final IpcacheOwners ipcacheOwners = new IpcacheOwners(() -> maps().ipcache());

	/**
	 * Shared maps.
	 * @param libbpf the loaded library
	 * @param objectFile the compiled bpf_lxc.o the maps are defined in
	 * @param layout where they are pinned
	 */
	public SharedMaps(Libbpf libbpf, Path objectFile, BpffsLayout layout) {
		this.libbpf = libbpf;
		this.objectFile = objectFile;
		this.layout = layout;
	}

	/**
	 * The maps, opening (or creating and pinning) them on first use.
	 * @return the maps
	 */
	public synchronized NodeMaps maps() {
		if (this.maps == null) {
			this.maps = NodeMaps.openOrCreate(this.libbpf, this.objectFile, this.layout);
		}
		return this.maps;
	}

	/** The ipcache map's two writers, local endpoints and the feed, kept apart. */
	IpcacheOwners ipcacheOwners() {
		return this.ipcacheOwners;
	}

	public BpffsLayout layout() {
		return this.layout;
	}

	@Override
	public synchronized void close() {
		if (this.maps != null) {
			this.maps.close();
			this.maps = null;
		}
	}

}
