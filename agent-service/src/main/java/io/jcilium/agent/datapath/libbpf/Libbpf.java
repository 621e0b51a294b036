package io.jcilium.agent.datapath.libbpf;

import java.nio.charset.StandardCharsets;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Loads {@code libbpf.so.1} once per JVM and turns its error conventions into exceptions.
 */
public final class Libbpf {

	/**
	 * The soname Debian's libbpf1 package ships; the unversioned name needs libbpf-dev.
	 */
	public static final String LIBRARY = "libbpf.so.1";

	private static final Object LOCK = new Object();

	private static volatile LibBpfBindings library;

	private static volatile String unavailableReason;

	// Strong reference: libbpf calls it for as long as the process runs.
	private static LibBpfLog logger;

	private Libbpf() {
	}

	/**
	 * The library, loading it on first use.
	 * @return the bindings
	 * @throws LibBpfException if libbpf.so.1 cannot be loaded
	 */
	public static LibBpfBindings get() {
		LibBpfBindings loaded = library;
		if (loaded != null) {
			return loaded;
		}
		synchronized (LOCK) {
			if (library == null && unavailableReason == null) {
				try {
					LibBpfBindings bindings = LibraryLoader.create(LibBpfBindings.class)
						.failImmediately()
						.load(LIBRARY);
					logger = LibBpfLog.install(bindings);
					library = bindings;
				}
				catch (LinkageError ex) {
					unavailableReason = LIBRARY + " could not be loaded (install Debian package libbpf1): "
							+ ex.getMessage();
				}
			}
			if (library == null) {
				throw new LibBpfException(unavailableReason);
			}
			return library;
		}
	}

	/**
	 * Whether libbpf can be loaded, without throwing.
	 * @return null if available, else what is missing
	 */
	public static String unavailableReason() {
		try {
			get();
			return null;
		}
		catch (LibBpfException ex) {
			return ex.getMessage();
		}
	}

	static Runtime runtime() {
		return Runtime.getRuntime(get());
	}

	static Pointer allocate(int sizeBytes) {
		Pointer memory = Memory.allocateDirect(runtime(), sizeBytes, true);
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
	static int check(int result, String what) {
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
	static Pointer checkPointer(Pointer result, String what) {
		if (result == null || result.address() == 0) {
			int errno = LastError.getLastError(runtime());
			throw new LibBpfException(what + " failed: " + describe(errno), errno);
		}
		return result;
	}

	static int lastErrno() {
		return LastError.getLastError(runtime());
	}

	/**
	 * Describes an errno the way libbpf does.
	 * @param errno positive errno
	 * @return e.g. "Operation not permitted (errno 1)"
	 */
	public static String describe(int errno) {
		byte[] buf = new byte[128];
		get().libbpf_strerror(errno, buf, buf.length);
		int len = 0;
		while (len < buf.length && buf[len] != 0) {
			len++;
		}
		return new String(buf, 0, len, StandardCharsets.UTF_8) + " (errno " + errno + ")";
	}

}
