package io.jcilium.agent.datapath.libbpf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import jnr.ffi.Pointer;

/**
 * An ELF object file opened with libbpf: configure (pins, {@code .rodata}), load, then
 * look up its maps and programs. Closing it closes every map and program fd libbpf holds
 * for it; pinned maps and attached programs stay in the kernel.
 */
public final class BpfObject implements AutoCloseable {

	private final Libbpf libbpf;

	private final LibBpfBindings lib;

	private final Path file;

	private Pointer obj;

	private boolean loaded;

	private BpfObject(Libbpf libbpf, Path file, Pointer obj) {
		this.libbpf = libbpf;
		this.lib = libbpf.bindings();
		this.file = file;
		this.obj = obj;
	}

	/**
	 * Opens (parses) an object file; nothing reaches the kernel yet.
	 * @param libbpf the loaded library; the object's maps and programs keep using it
	 * @param file the compiled {@code .o}
	 * @return the opened object
	 */
	public static BpfObject open(Libbpf libbpf, Path file) {
		if (!Files.isRegularFile(file)) {
			throw new LibBpfException("BPF object " + file + " does not exist (was bpf/ built by Maven or make?)");
		}
		Pointer obj = libbpf.checkPointer(libbpf.bindings().bpf_object__open_file(file.toString(), null),
				"bpf_object__open_file(" + file + ")");
		return new BpfObject(libbpf, file, obj);
	}

	/**
	 * Pins a map at a bpffs path on load, or reuses the map already pinned there (libbpf
	 * checks that type, sizes and flags match, else the load fails).
	 * @param mapName the map's name in the object
	 * @param pinPath the bpffs path
	 */
	public void pinMap(String mapName, Path pinPath) {
		requireNotLoaded("pin map " + mapName);
		this.libbpf.check(this.lib.bpf_map__set_pin_path(findMap(mapName), pinPath.toString()),
				"bpf_map__set_pin_path(" + mapName + ", " + pinPath + ")");
	}

	/**
	 * Sizes a map before load (its {@code max_entries}), e.g. from the agent's settings.
	 * @param mapName the map's name in the object
	 * @param maxEntries the new size
	 */
	public void setMaxEntries(String mapName, int maxEntries) {
		requireNotLoaded("size map " + mapName);
		this.libbpf.check(this.lib.bpf_map__set_max_entries(findMap(mapName), maxEntries),
				"bpf_map__set_max_entries(" + mapName + ", " + maxEntries + ")");
	}

	/**
	 * Sizes a map's values before load, for maps whose value is an array sized by a
	 * setting (e.g. a Maglev table of M backend ids).
	 * @param mapName the map's name in the object
	 * @param valueSizeBytes the new value size
	 */
	public void setValueSize(String mapName, int valueSizeBytes) {
		requireNotLoaded("size the values of map " + mapName);
		this.libbpf.check(this.lib.bpf_map__set_value_size(findMap(mapName), valueSizeBytes),
				"bpf_map__set_value_size(" + mapName + ", " + valueSizeBytes + ")");
	}

	/**
	 * Leaves maps out of the load: for maps an object declares (through a shared header)
	 * but none of its programs uses.
	 * @param mapNames maps not to create
	 */
	public void skipMaps(String... mapNames) {
		requireNotLoaded("skip maps");
		for (String name : mapNames) {
			this.libbpf.check(this.lib.bpf_map__set_autocreate(findMap(name), false),
					"bpf_map__set_autocreate(" + name + ")");
		}
	}

	/**
	 * Makes load create only maps: no program is verified or loaded. For opening the
	 * node's shared maps without any endpoint.
	 * @param mapsToSkip maps not to create either
	 */
	public void mapsOnly(String... mapsToSkip) {
		requireNotLoaded("switch to maps only");
		for (String name : mapsToSkip) {
			this.libbpf.check(this.lib.bpf_map__set_autocreate(findMap(name), false),
					"bpf_map__set_autocreate(" + name + ")");
		}
		for (String name : new String[] { "from_container", "to_container", "lxc_policy" }) {
			Pointer prog = this.lib.bpf_object__find_program_by_name(pointer(), name);
			if (prog != null && prog.address() != 0) {
				this.libbpf.check(this.lib.bpf_program__set_autoload(prog, false),
						"bpf_program__set_autoload(" + name + ")");
			}
		}
	}

	/**
	 * Current initial contents of a global-data map ({@code .rodata}, {@code .data},
	 * {@code .bss}).
	 * @param mapName e.g. ".rodata"
	 * @return a copy of the bytes
	 */
	public byte[] initialValue(String mapName) {
		Pointer map = findMap(mapName);
		Pointer size = this.libbpf.allocate(8);
		Pointer data = this.lib.bpf_map__initial_value(map, size);
		if (data == null || data.address() == 0) {
			throw new LibBpfException("map " + mapName + " of " + this.file + " has no initial value");
		}
		byte[] bytes = new byte[(int) size.getLong(0)];
		data.get(0, bytes, 0, bytes.length);
		return bytes;
	}

	/**
	 * Replaces the initial contents of a global-data map before load; this is how
	 * per-endpoint settings reach {@code const volatile} globals, which the verifier then
	 * treats as constants (dead branches are pruned).
	 * @param mapName e.g. ".rodata"
	 * @param data the full contents, exactly the section's size
	 */
	public void setInitialValue(String mapName, byte[] data) {
		requireNotLoaded("set initial value of " + mapName);
		this.libbpf.check(this.lib.bpf_map__set_initial_value(findMap(mapName), data, data.length),
				"bpf_map__set_initial_value(" + mapName + ")");
	}

	/**
	 * Creates the maps (or reuses pinned ones), verifies and loads the programs.
	 */
	public void load() {
		requireNotLoaded("load");
		this.libbpf.check(this.lib.bpf_object__load(pointer()),
				"bpf_object__load(" + this.file + ") (the verifier log, if any, went to the libbpf log)");
		this.loaded = true;
	}

	/**
	 * A map of the loaded object.
	 * @param name the map's name in the object
	 * @return the map, valid while this object is open
	 */
	public BpfMap map(String name) {
		requireLoaded("map " + name);
		Pointer map = findMap(name);
		int fd = this.libbpf.check(this.lib.bpf_map__fd(map), "bpf_map__fd(" + name + ")");
		return new BpfMap(this.libbpf, name, fd, this.lib.bpf_map__type(map), this.lib.bpf_map__key_size(map),
				this.lib.bpf_map__value_size(map), this.lib.bpf_map__max_entries(map), false);
	}

	/**
	 * How the object defines a map (type, sizes, flags), readable before load: for maps
	 * the agent creates itself from a template the object declares.
	 * @param name the map's name in the object
	 * @return the definition
	 */
	public BpfMapDefinition definition(String name) {
		Pointer map = findMap(name);
		return new BpfMapDefinition(this.lib.bpf_map__type(map), this.lib.bpf_map__key_size(map),
				this.lib.bpf_map__value_size(map), this.lib.bpf_map__max_entries(map),
				this.lib.bpf_map__map_flags(map));
	}

	/**
	 * A program of the loaded object.
	 * @param name the C function name
	 * @return the program, valid while this object is open
	 */
	public BpfProgram program(String name) {
		requireLoaded("program " + name);
		Pointer prog = this.lib.bpf_object__find_program_by_name(pointer(), name);
		if (prog == null || prog.address() == 0) {
			throw new LibBpfException("program " + name + " not found in " + this.file);
		}
		int fd = this.libbpf.check(this.lib.bpf_program__fd(prog), "bpf_program__fd(" + name + ")");
		return new BpfProgram(name, fd, this.libbpf);
	}

	/**
	 * The object's BTF (type information), available after open.
	 * @return the BTF
	 */
	public Btf btf() {
		Pointer btf = this.lib.bpf_object__btf(pointer());
		if (btf == null || btf.address() == 0) {
			throw new LibBpfException(this.file + " has no BTF (compile with clang -g)");
		}
		return new Btf(this.lib, btf, this);
	}

	public Path file() {
		return this.file;
	}

	@Override
	public synchronized void close() {
		if (this.obj != null) {
			this.lib.bpf_object__close(this.obj);
			this.obj = null;
		}
	}

	private Pointer findMap(String name) {
		Objects.requireNonNull(name, "name");
		Pointer map = this.lib.bpf_object__find_map_by_name(pointer(), name);
		if (map == null || map.address() == 0) {
			throw new LibBpfException("map " + name + " not found in " + this.file);
		}
		return map;
	}

	Pointer pointer() {
		Pointer current = this.obj;
		if (current == null) {
			throw new IllegalStateException("BPF object " + this.file + " is closed");
		}
		return current;
	}

	private void requireNotLoaded(String what) {
		if (this.loaded) {
			throw new IllegalStateException("cannot " + what + ": " + this.file + " is already loaded");
		}
	}

	private void requireLoaded(String what) {
		if (!this.loaded) {
			throw new IllegalStateException("cannot get " + what + ": " + this.file + " is not loaded yet");
		}
	}

}
