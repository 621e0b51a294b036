package io.jcilium.agent.datapath.tc;

import java.util.OptionalInt;

import io.jcilium.agent.datapath.libbpf.BpfProgram;
import io.jcilium.agent.datapath.libbpf.LibBpfBindings;
import io.jcilium.agent.datapath.libbpf.LibBpfException;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Direct-action cls_bpf filters on a device's clsact qdisc, through libbpf's tc API
 * (netlink underneath, no {@code tc} process). Acts in the network namespace of the
 * calling thread: run it through {@link NetworkNamespace} for another namespace.
 * <p>
 * Structs on x86_64 (libbpf 1.1), allocated and sized by hand because jnr's Struct
 * undercounts tail padding: {@code bpf_tc_hook} 24 bytes (sz@0, ifindex@8,
 * attach_point@12, parent@16); {@code bpf_tc_opts} 32 bytes (sz@0, prog_fd@8, flags@12,
 * prog_id@16, handle@20, priority@24).
 */
public final class TcHooks {

	/**
	 * Handle and priority the agent's filters use, like upstream's single filter per
	 * hook.
	 */
	public static final int DEFAULT_HANDLE = 1;

	public static final int DEFAULT_PRIORITY = 1;

	private static final int HOOK_SIZE = 24;

	private static final int OPTS_SIZE = 32;

	private static final int BPF_TC_F_REPLACE = 1;

	private static final int EEXIST = 17;

	private static final int ENOENT = 2;

	private static final int EINVAL = 22;

	private final Libbpf libbpf;

	/**
	 * Tc hooks through a loaded libbpf.
	 * @param libbpf the library
	 */
	public TcHooks(Libbpf libbpf) {
		this.libbpf = libbpf;
	}

	/**
	 * Attaches (or atomically replaces) a program on a device. Replacing keeps the filter
	 * in place, so no packet passes unfiltered while programs are swapped.
	 * @param ifindex the device
	 * @param point ingress or egress
	 * @param program the tc program
	 * @return the attached program's kernel id
	 */
	public int attach(int ifindex, TcAttachPoint point, BpfProgram program) {
		LibBpfBindings lib = this.libbpf.bindings();
		Pointer hook = hook(ifindex, point);
		int created = lib.bpf_tc_hook_create(hook);
		if (created < 0 && created != -EEXIST) {
			check(created, "creating the clsact qdisc on ifindex " + ifindex);
		}
		Pointer opts = opts(DEFAULT_HANDLE, DEFAULT_PRIORITY);
		opts.putInt(8, program.fd());
		opts.putInt(12, BPF_TC_F_REPLACE);
		check(lib.bpf_tc_attach(hook, opts), "attaching " + program.name() + " to ifindex " + ifindex + " " + point);
		return opts.getInt(16);
	}

	/**
	 * The id of the program attached at the agent's handle/priority, if any.
	 * @param ifindex the device
	 * @param point ingress or egress
	 * @return the program id
	 */
	public OptionalInt query(int ifindex, TcAttachPoint point) {
		Pointer opts = opts(DEFAULT_HANDLE, DEFAULT_PRIORITY);
		int result = this.libbpf.bindings().bpf_tc_query(hook(ifindex, point), opts);
		if (result == -ENOENT || result == -EINVAL) {
			return OptionalInt.empty();
		}
		check(result, "querying ifindex " + ifindex + " " + point);
		return OptionalInt.of(opts.getInt(16));
	}

	/**
	 * Detaches the agent's filter; absent filters are not an error.
	 * @param ifindex the device
	 * @param point ingress or egress
	 * @return whether a filter was removed
	 */
	public boolean detach(int ifindex, TcAttachPoint point) {
		// libbpf wants handle and priority only: prog_fd, prog_id and flags must be zero.
		int result = this.libbpf.bindings().bpf_tc_detach(hook(ifindex, point), opts(DEFAULT_HANDLE, DEFAULT_PRIORITY));
		if (result == -ENOENT || result == -EINVAL) {
			return false;
		}
		check(result, "detaching from ifindex " + ifindex + " " + point);
		return true;
	}

	/**
	 * Removes the clsact qdisc and with it every filter of both directions.
	 * @param ifindex the device
	 */
	public void destroyQdisc(int ifindex) {
		Pointer hook = Memory.allocateDirect(runtime(), HOOK_SIZE, true);
		hook.putLong(0, HOOK_SIZE);
		hook.putInt(8, ifindex);
		hook.putInt(12, TcAttachPoint.INGRESS.code() | TcAttachPoint.EGRESS.code());
		int result = this.libbpf.bindings().bpf_tc_hook_destroy(hook);
		if (result < 0 && result != -ENOENT && result != -EINVAL) {
			check(result, "removing the clsact qdisc of ifindex " + ifindex);
		}
	}

	private Pointer hook(int ifindex, TcAttachPoint point) {
		if (ifindex <= 0) {
			throw new IllegalArgumentException("bad ifindex " + ifindex);
		}
		Pointer hook = Memory.allocateDirect(runtime(), HOOK_SIZE, true);
		hook.putLong(0, HOOK_SIZE);
		hook.putInt(8, ifindex);
		hook.putInt(12, point.code());
		return hook;
	}

	private Pointer opts(int handle, int priority) {
		Pointer opts = Memory.allocateDirect(runtime(), OPTS_SIZE, true);
		opts.putLong(0, OPTS_SIZE);
		opts.putInt(20, handle);
		opts.putInt(24, priority);
		return opts;
	}

	private Runtime runtime() {
		return this.libbpf.runtime();
	}

	private void check(int result, String what) {
		if (result < 0) {
			throw new LibBpfException(what + " failed: " + this.libbpf.describe(-result), -result);
		}
	}

}
