package io.jcilium.agent.datapath.libbpf;

import java.nio.charset.StandardCharsets;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The loaded {@code libbpf.so.1}: its bindings, its jnr runtime and the hook that routes
 * its log into ours, and its error conventions turned into exceptions. Created once by
 * whoever owns the datapath (the agent's datapath configuration) and passed to what opens
 * objects, pinned maps and tc hooks; maps and programs of an opened object carry the
 * instance they came from.
 */
public final class Libbpf {

	/**
	 * The soname Debian's libbpf1 package ships; the unversioned name needs libbpf-dev.
	 */
	public static final String LIBRARY = "libbpf.so.1";

	private final LibBpfBindings bindings;

	private final Runtime runtime;

	private Libbpf(LibBpfBindings bindings) {
		this.bindings = bindings;
		this.runtime = Runtime.getRuntime(bindings);
		LibBpfLog.installOnce(bindings);
	}

	/**
	 * Loads the library and, the first time in this process, routes libbpf's log into
	 * ours (libbpf's print hook is process-wide).
	 * @return the loaded library
	 * @throws LibBpfException if libbpf.so.1 cannot be loaded
	 */
	public static Libbpf load() {
		try {
			return new Libbpf(LibraryLoader.create(LibBpfBindings.class).failImmediately().load(LIBRARY));
		}
		catch (LinkageError ex) {
			throw new LibBpfException(
					LIBRARY + " could not be loaded (install Debian package libbpf1): " + ex.getMessage());
		}
	}

	/**
	 * The raw bindings, for the datapath's own wrappers (tc hooks, ring buffers).
	 * @return the bindings
	 */
	public LibBpfBindings bindings() {
		return this.bindings;
	}

	/**
	 * The jnr runtime of the bindings, for native memory the wrappers allocate.
	 * @return the runtime
	 */
	public Runtime runtime() {
		return this.runtime;
	}

	Pointer allocate(int sizeBytes) {
		Pointer memory = Memory.allocateDirect(this.runtime, sizeBytes, true);
		if (memory == null) {
			throw new OutOfMemoryError("cannot allocate " + sizeBytes + " bytes of native memory");
		}
		return memory;
	}

	/**
	 * Checks a libbpf int result (negative errno on failure).
	 * @param result the return value
	 * @param what what was attempted, for the message
	 * @return the result when not negative
	 */
	public int check(int result, String what) {
		if (result < 0) {
			throw new LibBpfException(what + " failed: " + describe(-result), -result);
		}
		return result;
	}

	/**
	 * Checks a pointer result, reading errno at once (libbpf 1.x sets it on NULL).
	 * @param result the returned pointer
	 * @param what what was attempted, for the message
	 * @return the non-null pointer
	 */
	Pointer checkPointer(Pointer result, String what) {
		if (result == null || result.address() == 0) {
			int errno = lastErrno();
			throw new LibBpfException(what + " failed: " + describe(errno), errno);
		}
		return result;
	}

	int lastErrno() {
		return LastError.getLastError(this.runtime);
	}

	/**
	 * Describes an errno the way libbpf does.
	 * @param errno positive errno
	 * @return e.g. "Operation not permitted (errno 1)"
	 */
	public String describe(int errno) {
		byte[] buf = new byte[128];
		this.bindings.libbpf_strerror(errno, buf, buf.length);
		int len = 0;
		while (len < buf.length && buf[len] != 0) {
			len++;
		}
		return new String(buf, 0, len, StandardCharsets.UTF_8) + " (errno " + errno + ")";
	}

}
