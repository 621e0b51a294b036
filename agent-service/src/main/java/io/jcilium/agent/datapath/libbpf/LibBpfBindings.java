package io.jcilium.agent.datapath.libbpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;

/**
 * The part of libbpf 1.x ({@code libbpf.so.1}) the agent calls, as jnr-ffi sees it.
 * <p>
 * Conventions of libbpf 1.x: int results are negative errno; pointer results are NULL on
 * failure with errno set (hence {@link SaveError}). libbpf dereferences the object/map
 * pointers it is given without checks, so callers must never pass a NULL one: the
 * wrappers in this package check every pointer before it reaches a call.
 */
// Method names are the C symbols jnr-ffi binds to.
@SuppressWarnings("checkstyle:MethodName")
public interface LibBpfBindings {

	// objects

	@SaveError
	Pointer bpf_object__open_file(String path, Pointer opts);

	int bpf_object__load(Pointer obj);

	void bpf_object__close(Pointer obj);

	Pointer bpf_object__find_map_by_name(Pointer obj, String name);

	Pointer bpf_object__find_program_by_name(Pointer obj, String name);

	Pointer bpf_object__btf(Pointer obj);

	// maps of an opened object

	int bpf_map__fd(Pointer map);

	int bpf_map__set_pin_path(Pointer map, String path);

	int bpf_map__reuse_fd(Pointer map, int fd);

	int bpf_map__key_size(Pointer map);

	int bpf_map__value_size(Pointer map);

	int bpf_map__type(Pointer map);

	int bpf_map__max_entries(Pointer map);

	int bpf_map__map_flags(Pointer map);

	int bpf_map__set_max_entries(Pointer map, int maxEntries);

	int bpf_map__set_value_size(Pointer map, int size);

	int bpf_map__set_autocreate(Pointer map, boolean autocreate);

	Pointer bpf_map__initial_value(Pointer map, Pointer sizeOut);

	int bpf_map__set_initial_value(Pointer map, @In byte[] data, @size_t long size);

	// programs of an opened object

	int bpf_program__fd(Pointer prog);

	int bpf_program__pin(Pointer prog, String path);

	int bpf_program__set_autoload(Pointer prog, boolean autoload);

	// map and object syscalls by fd

	/** A map outside any object (opts: struct bpf_map_create_opts, 48 bytes). */
	@SaveError
	int bpf_map_create(int mapType, String name, int keySize, int valueSize, int maxEntries, Pointer opts);

	int bpf_map_update_elem(int fd, @In byte[] key, @In byte[] value, long flags);

	int bpf_map_lookup_elem(int fd, @In byte[] key, @Out byte[] value);

	int bpf_map_delete_elem(int fd, @In byte[] key);

	int bpf_map_get_next_key(int fd, @In byte[] key, @Out byte[] nextKey);

	int bpf_obj_pin(int fd, String path);

	@SaveError
	int bpf_obj_get(String path);

	int bpf_obj_get_info_by_fd(int fd, Pointer info, Pointer infoLen);

	int bpf_prog_test_run_opts(int progFd, Pointer opts);

	// links (cgroup and XDP attachments that end when their last fd closes)

	int bpf_link_create(int progFd, int targetFd, int attachType, Pointer opts);

	int bpf_link_detach(int linkFd);

	int bpf_link_update(int linkFd, int newProgFd, Pointer opts);

	int libbpf_num_possible_cpus();

	Pointer libbpf_set_print(PrintFn print);

	int libbpf_strerror(int err, @Out byte[] buf, @size_t long size);

	// tc hooks (struct layouts in TcHookApi)

	int bpf_tc_hook_create(Pointer hook);

	int bpf_tc_hook_destroy(Pointer hook);

	int bpf_tc_attach(Pointer hook, Pointer opts);

	int bpf_tc_detach(Pointer hook, Pointer opts);

	int bpf_tc_query(Pointer hook, Pointer opts);

	// XDP (opts may be null)

	int bpf_xdp_attach(int ifindex, int progFd, int flags, Pointer opts);

	int bpf_xdp_detach(int ifindex, int flags, Pointer opts);

	int bpf_xdp_query_id(int ifindex, int flags, @Out int[] progId);

	int bpf_prog_get_fd_by_id(int id);

	// ring buffers

	@SaveError
	Pointer ring_buffer__new(int mapFd, RingBufferSample sample, Pointer ctx, Pointer opts);

	int ring_buffer__poll(Pointer rb, int timeoutMs);

	int ring_buffer__consume(Pointer rb);

	void ring_buffer__free(Pointer rb);

	// BTF of a loaded or opened object

	int btf__find_by_name_kind(Pointer btf, String name, int kind);

	Pointer btf__type_by_id(Pointer btf, int id);

	String btf__name_by_offset(Pointer btf, int offset);

	long btf__resolve_size(Pointer btf, int id);

	int btf__resolve_type(Pointer btf, int id);

	/**
	 * {@code libbpf_print_fn_t}: level (0 warn, 1 info, 2 debug), printf format, va_list.
	 */
	interface PrintFn {

		@Delegate
		int print(int level, Pointer format, Pointer args);

	}

	/**
	 * {@code ring_buffer_sample_fn}: called on the polling thread for each record.
	 */
	interface RingBufferSample {

		@Delegate
		int onSample(Pointer ctx, Pointer data, @size_t long size);

	}

}
