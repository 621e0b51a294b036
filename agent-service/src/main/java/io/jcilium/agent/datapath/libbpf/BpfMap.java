package io.jcilium.agent.datapath.libbpf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jnr.ffi.Pointer;

/**
 * A kernel BPF map by fd, with byte-array keys and values; typed map classes wrap it.
 * Per-CPU maps return one value per possible CPU, each padded to 8 bytes, as the kernel
 * does.
 */
public final class BpfMap implements AutoCloseable {

	/** {@code BPF_ANY}: create or update. */
	public static final long ANY = 0;

	/** {@code BPF_NOEXIST}: create only. */
	public static final long NOEXIST = 1;

	/** {@code BPF_EXIST}: update only. */
	public static final long EXIST = 2;

	static final int TYPE_PERCPU_HASH = 5;

	static final int TYPE_PERCPU_ARRAY = 6;

	static final int TYPE_LRU_PERCPU_HASH = 10;

	private static final int ENOENT = 2;

	private static final int MAP_INFO_SIZE = 88;

	/** struct bpf_map_create_opts on x86_64 (libbpf 1.1): sz@0, ..., map_flags@28. */
	private static final int CREATE_OPTS_SIZE = 48;

	private static final int CREATE_OPTS_FLAGS = 28;

	private final String name;

	private final int fd;

	private final int type;

	private final int keySize;

	private final int valueSize;

	private final int maxEntries;

	private final boolean ownsFd;

	private final Libbpf libbpf;

	private final LibBpfBindings lib;

	BpfMap(Libbpf libbpf, String name, int fd, int type, int keySize, int valueSize, int maxEntries, boolean ownsFd) {
		this.libbpf = libbpf;
		this.lib = libbpf.bindings();
		this.name = name;
		this.fd = fd;
		this.type = type;
		this.keySize = keySize;
		this.valueSize = valueSize;
		this.maxEntries = maxEntries;
		this.ownsFd = ownsFd;
	}

	/**
	 * Opens a map pinned on bpffs (e.g. by an earlier agent run).
	 * @param libbpf the loaded library
	 * @param pinPath the bpffs path
	 * @return the map; close it to release the fd
	 */
	public static BpfMap openPinned(Libbpf libbpf, Path pinPath) {
		LibBpfBindings lib = libbpf.bindings();
		int fd = lib.bpf_obj_get(pinPath.toString());
		if (fd < 0) {
			int errno = libbpf.lastErrno();
			throw new LibBpfException("bpf_obj_get(" + pinPath + ") failed: " + libbpf.describe(errno), errno);
		}
		Pointer info = libbpf.allocate(MAP_INFO_SIZE);
		Pointer len = libbpf.allocate(4);
		len.putInt(0, MAP_INFO_SIZE);
		int result = lib.bpf_obj_get_info_by_fd(fd, info, len);
		if (result < 0) {
			LibC.load().close(fd);
			libbpf.check(result, "bpf_obj_get_info_by_fd(" + pinPath + ")");
		}
		return new BpfMap(libbpf, pinPath.getFileName().toString(), fd, info.getInt(0), info.getInt(8), info.getInt(12),
				info.getInt(16), true);
	}

	/**
	 * Creates a map outside any object ({@code bpf_map_create}), e.g. an inner map of a
	 * map-of-maps.
	 * @param libbpf the loaded library
	 * @param name the kernel's name for it (at most 15 characters)
	 * @param definition type, sizes and flags
	 * @return the map; close it to release the fd
	 */
	public static BpfMap create(Libbpf libbpf, String name, BpfMapDefinition definition) {
		Pointer opts = libbpf.allocate(CREATE_OPTS_SIZE);
		opts.putLong(0, CREATE_OPTS_SIZE);
		opts.putInt(CREATE_OPTS_FLAGS, definition.flags());
		int fd = libbpf.check(libbpf.bindings()
			.bpf_map_create(definition.type(), name, definition.keySize(), definition.valueSize(),
					definition.maxEntries(), opts),
				"bpf_map_create(" + name + ", " + definition + ")");
		return new BpfMap(libbpf, name, fd, definition.type(), definition.keySize(), definition.valueSize(),
				definition.maxEntries(), true);
	}

	/**
	 * Creates or replaces an entry.
	 * @param key the key bytes
	 * @param value the value bytes (for per-CPU maps: all CPUs' values)
	 * @param flags {@link #ANY}, {@link #NOEXIST} or {@link #EXIST}
	 */
	public void update(byte[] key, byte[] value, long flags) {
		requireSize("key", key, this.keySize);
		requireSize("value", value, lookupSize());
		this.libbpf.check(this.lib.bpf_map_update_elem(this.fd, key, value, flags), "update of map " + this.name);
	}

	/**
	 * Reads an entry.
	 * @param key the key bytes
	 * @return the value bytes, or null if there is no such key
	 */
	public byte[] lookup(byte[] key) {
		requireSize("key", key, this.keySize);
		byte[] value = new byte[lookupSize()];
		int result = this.lib.bpf_map_lookup_elem(this.fd, key, value);
		if (result == -ENOENT) {
			return null;
		}
		this.libbpf.check(result, "lookup in map " + this.name);
		return value;
	}

	/**
	 * Deletes an entry.
	 * @param key the key bytes
	 * @return whether it existed
	 */
	public boolean delete(byte[] key) {
		requireSize("key", key, this.keySize);
		int result = this.lib.bpf_map_delete_elem(this.fd, key);
		if (result == -ENOENT) {
			return false;
		}
		this.libbpf.check(result, "delete from map " + this.name);
		return true;
	}

	/**
	 * All keys, walked with get-next-key (a concurrent writer may make the walk skip or
	 * repeat keys, as with any BPF map iteration).
	 * @return the keys
	 */
	public List<byte[]> keys() {
		List<byte[]> keys = new ArrayList<>();
		byte[] current = null;
		while (true) {
			byte[] next = new byte[this.keySize];
			int result = this.lib.bpf_map_get_next_key(this.fd, current, next);
			if (result == -ENOENT) {
				return keys;
			}
			this.libbpf.check(result, "iteration of map " + this.name);
			keys.add(next);
			current = next;
		}
	}

	/**
	 * Pins the map at a bpffs path.
	 * @param pinPath the path
	 */
	public void pin(Path pinPath) {
		this.libbpf.check(this.lib.bpf_obj_pin(this.fd, pinPath.toString()),
				"pin of map " + this.name + " at " + pinPath);
	}

	/**
	 * Bytes a lookup returns: value size, or for per-CPU maps the 8-aligned value size
	 * times the number of possible CPUs.
	 * @return the size in bytes
	 */
	public int lookupSize() {
		if (isPerCpu()) {
			return perCpuStride() * this.lib.libbpf_num_possible_cpus();
		}
		return this.valueSize;
	}

	/**
	 * Distance between two CPUs' values in a per-CPU lookup result.
	 * @return the stride in bytes
	 */
	public int perCpuStride() {
		return (this.valueSize + 7) & ~7;
	}

	public boolean isPerCpu() {
		return this.type == TYPE_PERCPU_HASH || this.type == TYPE_PERCPU_ARRAY || this.type == TYPE_LRU_PERCPU_HASH;
	}

	/**
	 * The library this map was opened with, for readers built on it (ring buffers).
	 * @return the library
	 */
	public Libbpf libbpf() {
		return this.libbpf;
	}

	public String name() {
		return this.name;
	}

	public int fd() {
		return this.fd;
	}

	public int type() {
		return this.type;
	}

	public int keySize() {
		return this.keySize;
	}

	public int valueSize() {
		return this.valueSize;
	}

	public int maxEntries() {
		return this.maxEntries;
	}

	@Override
	public void close() {
		if (this.ownsFd) {
			LibC.load().close(this.fd);
		}
	}

	private void requireSize(String what, byte[] bytes, int expected) {
		if (bytes == null || bytes.length != expected) {
			throw new IllegalArgumentException(what + " for map " + this.name + " must be " + expected + " bytes, got "
					+ ((bytes != null) ? bytes.length : "null"));
		}
	}

}
