package io.jcilium.agent.datapath.libbpf;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;

/**
 * The few libc calls the datapath needs next to libbpf: closing fds that libbpf handed
 * over, joining a network namespace, reading the monotonic clock the kernel's
 * {@code bpf_ktime_get_ns()} uses.
 */
// Method names are the C symbols jnr-ffi binds to.
@SuppressWarnings("checkstyle:MethodName")
public interface LibC {

	/** {@code CLONE_NEWNET} for {@link #setns}. */
	int CLONE_NEWNET = 0x40000000;

	/** {@code CLOCK_MONOTONIC}, the clock of {@code bpf_ktime_get_ns()}. */
	int CLOCK_MONOTONIC = 1;

	/** {@code O_RDONLY | O_CLOEXEC}. */
	int O_RDONLY_CLOEXEC = 0x80000;

	@SaveError
	int open(String path, int flags);

	@SaveError
	int close(int fd);

	@SaveError
	int setns(int fd, int nstype);

	int clock_gettime(int clockId, Pointer timespec);

	int if_nametoindex(String name);

	int vsnprintf(Pointer buffer, @size_t long size, Pointer format, Pointer args);

	/**
	 * Loads the C library.
	 * @return the bindings
	 */
	static LibC load() {
		return Holder.INSTANCE;
	}

	/**
	 * Lazy holder so loading happens on first use only.
	 */
	final class Holder {

		static final LibC INSTANCE = LibraryLoader.create(LibC.class).failImmediately().load("c");

		private Holder() {
		}

	}

}
