package io.jcilium.agent.datapath.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.LibBpfException;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.maps.DatapathStructs;

/**
 * Loads bpf_lxc.o for one endpoint: writes the endpoint id into the {@code ENDPOINT_ID}
 * constant (found through BTF, so the offset follows the C), pins the node's shared maps
 * and the endpoint's policy map under the bpffs layout (reusing maps a previous agent
 * pinned there), loads, writes the endpoint's settings into the node's
 * {@code endpoint_config} map and registers the endpoint's lxc_policy program in the
 * node's policy call map so local pods deliver to it directly. Later changes of the
 * settings (the init identity giving way to the endpoint's own) are map writes through
 * {@link EndpointProgram#configure}, not another load.
 */
public final class EndpointProgramLoader {

	static final String CONFIG_SECTION = ".rodata";

	static final String ENDPOINT_ID_VARIABLE = "ENDPOINT_ID";

	static final String DATA_SECTION = ".data";

	static final String REVISION_VARIABLE = "POLICY_REVISION";

	private final Libbpf libbpf;

	private final Path objectFile;

	private final BpffsLayout layout;

	/**
	 * A loader.
	 * @param libbpf the loaded library
	 * @param objectFile the compiled bpf_lxc.o
	 * @param layout where maps are pinned; null to pin nothing (tests that want private
	 * maps)
	 */
	public EndpointProgramLoader(Libbpf libbpf, Path objectFile, BpffsLayout layout) {
		this.libbpf = libbpf;
		this.objectFile = objectFile;
		this.layout = layout;
	}

	/**
	 * Loads the programs for an endpoint.
	 * @param config the endpoint's settings (endpoint id must be 1-65535), written into
	 * the endpoint settings map before the programs can run anywhere
	 * @return the loaded programs and maps
	 */
	public EndpointProgram load(DatapathStructs.LxcConfig config) {
		if (config.endpointId() <= 0 || config.endpointId() > 0xffff) {
			throw new IllegalArgumentException("endpoint id must be 1-65535, got " + config.endpointId());
		}
		return BpfLxcObject.open(this.libbpf, this.objectFile, (object) -> {
			writeEndpointId(object, config.endpointId());
			int revisionOffset = writeInitialRevision(object);
			if (this.layout != null) {
				this.layout.create();
				this.layout.pinSharedMaps(object);
				object.pinMap("policy", this.layout.policyMap(config.endpointId()));
			}
			object.load();
			EndpointProgram program = new EndpointProgram(object, config, revisionOffset);
			program.endpointConfig().put(config);
			// Replaces the entry of an earlier load atomically: local senders switch to
			// the new program between two packets.
			program.policyCalls().register(config.endpointId(), program.lxcPolicy());
			return program;
		});
	}

	/**
	 * Starts the policy revision at a random non-zero value: conntrack entries pinned by
	 * an earlier run carry that run's revisions and must not match this program's by
	 * chance.
	 */
	private static int writeInitialRevision(BpfObject object) {
		int offset = object.btf()
			.variableOffset(DATA_SECTION, REVISION_VARIABLE)
			.orElseThrow(() -> new LibBpfException(object.file() + " has no " + REVISION_VARIABLE + " in "
					+ DATA_SECTION + ": not a bpf_lxc object?"));
		byte[] data = object.initialValue(DATA_SECTION);
		int revision = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
		ByteBuffer.wrap(data).order(ByteOrder.nativeOrder()).putInt(offset, revision);
		object.setInitialValue(DATA_SECTION, data);
		return offset;
	}

	private static void writeEndpointId(BpfObject object, int endpointId) {
		int offset = object.btf()
			.variableOffset(CONFIG_SECTION, ENDPOINT_ID_VARIABLE)
			.orElseThrow(() -> new LibBpfException(object.file() + " has no " + ENDPOINT_ID_VARIABLE + " in "
					+ CONFIG_SECTION + ": not a bpf_lxc object?"));
		byte[] rodata = object.initialValue(CONFIG_SECTION);
		if (offset + Integer.BYTES > rodata.length) {
			throw new LibBpfException(
					ENDPOINT_ID_VARIABLE + " does not fit " + CONFIG_SECTION + " of " + object.file());
		}
		ByteBuffer.wrap(rodata).order(ByteOrder.nativeOrder()).putInt(offset, endpointId);
		object.setInitialValue(CONFIG_SECTION, rodata);
	}

}
