package io.jcilium.agent.datapath;

import io.jcilium.agent.datapath.libbpf.LibBpfException;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.tc.TcHooks;

/**
 * The one libbpf the tests share, loaded on first use. Main code has no such shared
 * instance: the agent's datapath configuration loads its own and passes it on.
 */
public final class TestLibbpf {

	private static Libbpf instance;

	private static String unavailableReason;

	private TestLibbpf() {
	}

	/**
	 * The shared library, loading it on first use.
	 * @return the library
	 * @throws LibBpfException if libbpf.so.1 cannot be loaded
	 */
	public static synchronized Libbpf get() {
		if (instance == null) {
			if (unavailableReason != null) {
				throw new LibBpfException(unavailableReason);
			}
			try {
				instance = Libbpf.load();
			}
			catch (LibBpfException ex) {
				unavailableReason = ex.getMessage();
				throw ex;
			}
		}
		return instance;
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

	/**
	 * Tc hooks through the shared library.
	 * @return the hooks
	 */
	public static TcHooks tcHooks() {
		return new TcHooks(get());
	}

}
