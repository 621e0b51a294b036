package io.jcilium.agent.datapath.loader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.BpfMapDefinition;
import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.LibBpfException;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.maps.DatapathStructs;

/**
 * Sets endpoints up on the node's one bpf_lxc object. The object (its programs verified
 * and loaded, the node's shared maps pinned under the bpffs layout, reusing what a
 * previous agent pinned) is loaded on the first endpoint and then shared: an endpoint is
 * only map writes, so adding one costs no verifier run. Per endpoint it creates (or finds
 * pinned) the endpoint's policy trie and puts it into the {@code policy} map-of-maps,
 * starts its policy revision, binds its host-side veth's ifindex to its id, writes its
 * settings into {@code endpoint_config} and registers the shared lxc_policy program under
 * its id for local delivery. Later changes of the settings (the init identity giving way
 * to the endpoint's own) are map writes through {@link EndpointProgram#configure}.
 */
public final class EndpointProgramLoader implements AutoCloseable {

	/**
	 * The inner map template the object declares; the loader creates tries shaped as it.
	 */
	public static final String POLICY_TEMPLATE = "policy_template";

	private final Libbpf libbpf;

	private final Path objectFile;

	private final BpffsLayout layout;

	private final boolean resident;

	private BpfObject shared;

	private BpfMapDefinition trieShape;

	private int open;

	/**
	 * A loader whose object lives while any endpoint it set up is open (tests that set up
	 * a few endpoints and close them).
	 * @param libbpf the loaded library
	 * @param objectFile the compiled bpf_lxc.o
	 * @param layout where maps are pinned; null to pin nothing (tests that want private
	 * maps)
	 */
	public EndpointProgramLoader(Libbpf libbpf, Path objectFile, BpffsLayout layout) {
		this(libbpf, objectFile, layout, false);
	}

	/**
	 * A loader.
	 * @param libbpf the loaded library
	 * @param objectFile the compiled bpf_lxc.o
	 * @param layout where maps are pinned; null to pin nothing
	 * @param resident keep the object loaded until {@link #close} even with no endpoint
	 * (the agent: the next endpoint must not wait for a load)
	 */
	public EndpointProgramLoader(Libbpf libbpf, Path objectFile, BpffsLayout layout, boolean resident) {
		this.libbpf = libbpf;
		this.objectFile = objectFile;
		this.layout = layout;
		this.resident = resident;
	}

	/**
	 * Sets an endpoint up on the shared programs (loading them first if none are).
	 * @param config the endpoint's settings (endpoint id must be 1-65535), written into
	 * the endpoint settings map before the programs can run for it anywhere
	 * @return the endpoint's handle on the programs and its maps
	 */
	public EndpointProgram load(DatapathStructs.LxcConfig config) {
		int id = config.endpointId();
		if (id <= 0 || id > 0xffff) {
			throw new IllegalArgumentException("endpoint id must be 1-65535, got " + id);
		}
		BpfObject object = acquire();
		BpfMap trie = null;
		try {
			trie = policyTrie(id);
			EndpointProgram program = new EndpointProgram(object, this, config, trie);
			program.policyMaps().put(id, trie);
			// A fresh start: conntrack entries an earlier run left for this endpoint id
			// carry
			// that run's revisions and must not match by chance.
			program.policyRevisions().set(id, ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE));
			program.endpointConfig().put(config);
			if (config.ifindex() > 0) {
				program.endpointIfindex().put(config.ifindex(), id);
			}
			// Replaces the entry of an earlier run atomically: local senders switch to
			// the
			// new program between two packets.
			program.policyCalls().register(id, program.lxcPolicy());
			return program;
		}
		catch (RuntimeException ex) {
			if (trie != null) {
				trie.close();
			}
			release();
			throw ex;
		}
	}

	/**
	 * Releases the shared object's handles; attached programs and pins stay in the
	 * kernel.
	 */
	@Override
	public synchronized void close() {
		if (this.shared != null) {
			this.shared.close();
			this.shared = null;
		}
	}

	/**
	 * An endpoint's handle was closed: a non-resident loader lets go of the object with
	 * the last.
	 */
	synchronized void release() {
		this.open--;
		if (this.open <= 0 && !this.resident) {
			this.open = 0;
			close();
		}
	}

	private synchronized BpfObject acquire() {
		if (this.shared == null) {
			this.shared = loadShared();
		}
		this.open++;
		return this.shared;
	}

	private BpfObject loadShared() {
		BpfObject object = BpfObject.open(this.libbpf, this.objectFile);
		try {
			this.trieShape = object.definition(POLICY_TEMPLATE);
			object.skipMaps(POLICY_TEMPLATE);
			if (this.layout != null) {
				this.layout.create();
				this.layout.pinSharedMaps(object);
			}
			object.load();
			return object;
		}
		catch (RuntimeException ex) {
			object.close();
			throw ex;
		}
	}

	/**
	 * The endpoint's policy trie: the one pinned for it (a restarted agent carries on
	 * with its entries), else a new one, pinned when there is a layout.
	 */
	private BpfMap policyTrie(int endpointId) {
		Path pin = (this.layout != null) ? this.layout.policyMap(endpointId) : null;
		if (pin != null && Files.exists(pin)) {
			BpfMap pinned = BpfMap.openPinned(this.libbpf, pin);
			if (pinned.type() != this.trieShape.type() || pinned.keySize() != this.trieShape.keySize()
					|| pinned.valueSize() != this.trieShape.valueSize()
					|| pinned.maxEntries() != this.trieShape.maxEntries()) {
				pinned.close();
				throw new LibBpfException("the policy map pinned at " + pin + " is not shaped as " + this.objectFile
						+ " wants (" + this.trieShape + "): remove the pin to start the endpoint's policy afresh");
			}
			return pinned;
		}
		BpfMap created = BpfMap.create(this.libbpf, "policy_" + endpointId, this.trieShape);
		if (pin != null) {
			try {
				created.pin(pin);
			}
			catch (RuntimeException ex) {
				created.close();
				throw ex;
			}
		}
		return created;
	}

}
