package io.jcilium.agent.datapath.libbpf;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * CLOCK_MONOTONIC as the kernel's {@code bpf_ktime_get_ns()} reads it, for comparing with
 * expiry times the datapath writes (System.nanoTime has an unspecified origin).
 */
public final class MonotonicClock {

	private MonotonicClock() {
	}

	/**
	 * Now in nanoseconds.
	 * @return CLOCK_MONOTONIC nanoseconds
	 */
	public static long nowNanos() {
		LibC libc = LibC.load();
		Pointer timespec = Memory.allocateDirect(Runtime.getRuntime(libc), 16, true);
		if (libc.clock_gettime(LibC.CLOCK_MONOTONIC, timespec) != 0) {
			throw new IllegalStateException("clock_gettime(CLOCK_MONOTONIC) failed");
		}
		return timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8);
	}

	/**
	 * Now in whole seconds, the unit of conntrack expiry.
	 * @return CLOCK_MONOTONIC seconds
	 */
	public static long nowSeconds() {
		return nowNanos() / 1_000_000_000L;
	}

}
