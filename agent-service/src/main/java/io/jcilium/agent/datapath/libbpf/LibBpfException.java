package io.jcilium.agent.datapath.libbpf;

/**
 * A libbpf or BPF syscall failure, with the errno the kernel or libbpf reported.
 */
public class LibBpfException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int errno;

	public LibBpfException(String message) {
		this(message, 0);
	}

	public LibBpfException(String message, int errno) {
		super(message);
		this.errno = errno;
	}

	/**
	 * The positive errno, 0 when none applies.
	 * @return the errno
	 */
	public int errno() {
		return this.errno;
	}

}
