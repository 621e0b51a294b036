package io.jcilium.agent.datapath.libbpf;

import java.nio.charset.StandardCharsets;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes libbpf's own messages (verifier logs, netlink errors) into the agent's log
 * instead of the process's stderr.
 */
final class LibBpfLog implements LibBpfBindings.PrintFn {

	private static final Logger log = LoggerFactory.getLogger("libbpf");

	private static final int LEVEL_WARN = 0;

	private static final int LEVEL_INFO = 1;

	private static final int BUFFER_BYTES = 8192;

	// libbpf's print hook is process-wide and jnr holds callbacks only weakly: the hook
	// stays reachable here for the life of the process, whichever Libbpf installed it.
	private static LibBpfLog installed;

	private final Runtime runtime;

	private final LibC libc;

	private LibBpfLog(Runtime runtime) {
		this.runtime = runtime;
		this.libc = LibC.load();
	}

	/**
	 * Installs the logger unless one is installed already (the library is one per
	 * process, however often it is bound).
	 * @param lib the loaded library
	 */
	static synchronized void installOnce(LibBpfBindings lib) {
		if (installed == null) {
			LibBpfLog printer = new LibBpfLog(Runtime.getRuntime(lib));
			lib.libbpf_set_print(printer);
			installed = printer;
		}
	}

	@Override
	public int print(int level, Pointer format, Pointer args) {
		if (format == null) {
			return 0;
		}
		Pointer buffer = Memory.allocateDirect(this.runtime, BUFFER_BYTES);
		int length = this.libc.vsnprintf(buffer, BUFFER_BYTES, format, args);
		if (length <= 0) {
			return 0;
		}
		byte[] bytes = new byte[Math.min(length, BUFFER_BYTES - 1)];
		buffer.get(0, bytes, 0, bytes.length);
		String message = new String(bytes, StandardCharsets.UTF_8).stripTrailing();
		// Kernel extack text accompanies an errno that the caller turns into an exception
		// with context.
		if (level == LEVEL_WARN && !message.contains("Kernel error message")) {
			log.warn(message);
		}
		else if (level == LEVEL_INFO) {
			log.info(message);
		}
		else {
			log.debug(message);
		}
		return length;
	}

}
