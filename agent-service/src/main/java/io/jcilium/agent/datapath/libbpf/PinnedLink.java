package io.jcilium.agent.datapath.libbpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jnr.ffi.Pointer;

/**
 * A BPF link pinned on bpffs, opened: the attachment lives as long as the pin or any fd
 * of it, so it outlives the process that made it (an agent restart), and a later process
 * opens it to see what it attaches and to swap its program in one step
 * ({@code BPF_LINK_UPDATE}: the hook never runs without a program).
 */
public final class PinnedLink implements AutoCloseable {

	/** {@code BPF_LINK_TYPE_CGROUP} (linux/bpf.h). */
	public static final int TYPE_CGROUP = 3;

	/**
	 * {@code struct bpf_link_info} up to the cgroup member: type, id, prog_id, then the
	 * union at 16.
	 */
	private static final int INFO_SIZE = 32;

	private final Libbpf libbpf;

	private final Path pin;

	private int fd;

	private PinnedLink(Libbpf libbpf, Path pin, int fd) {
		this.libbpf = libbpf;
		this.pin = pin;
		this.fd = fd;
	}

	/**
	 * Opens a pinned link.
	 * @param libbpf the library
	 * @param pin the bpffs path
	 * @return the link
	 * @throws LibBpfException if nothing is pinned there or it is not a link
	 */
	public static PinnedLink open(Libbpf libbpf, Path pin) {
		int fd = libbpf.bindings().bpf_obj_get(pin.toString());
		if (fd < 0) {
			int errno = libbpf.lastErrno();
			throw new LibBpfException("bpf_obj_get(" + pin + ") failed: " + libbpf.describe(errno), errno);
		}
		return new PinnedLink(libbpf, pin, fd);
	}

	/**
	 * Pins a link fd this process holds.
	 * @param libbpf the library
	 * @param linkFd the link
	 * @param pin the bpffs path, which must not exist
	 */
	public static void pin(Libbpf libbpf, int linkFd, Path pin) {
		libbpf.check(libbpf.bindings().bpf_obj_pin(linkFd, pin.toString()), "pin of link at " + pin);
	}

	/**
	 * What a cgroup link attaches, from the kernel.
	 * @return the link's type and, for a cgroup link, the cgroup's id (0 once detached)
	 * and attach type
	 */
	public Info info() {
		Pointer info = this.libbpf.allocate(INFO_SIZE);
		Pointer len = this.libbpf.allocate(4);
		len.putInt(0, INFO_SIZE);
		this.libbpf.check(this.libbpf.bindings().bpf_obj_get_info_by_fd(fd(), info, len),
				"bpf_obj_get_info_by_fd(" + this.pin + ")");
		int type = info.getInt(0);
		return (type == TYPE_CGROUP) ? new Info(type, info.getLong(16), info.getInt(24)) : new Info(type, 0, -1);
	}

	/**
	 * Swaps the link's program atomically.
	 * @param program the program that runs from now on
	 */
	public void update(BpfProgram program) {
		this.libbpf.check(this.libbpf.bindings().bpf_link_update(fd(), program.fd(), null),
				"update of link " + this.pin + " to " + program.name());
	}

	/**
	 * Detaches the link now (whoever else holds it) and removes the pin.
	 */
	public void detachAndUnpin() {
		this.libbpf.check(this.libbpf.bindings().bpf_link_detach(fd()), "detach of link " + this.pin);
		try {
			Files.deleteIfExists(this.pin);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot remove the pin " + this.pin + " of a detached link", ex);
		}
	}

	/**
	 * The link's fd, valid until closed.
	 * @return the fd
	 */
	public int fd() {
		if (this.fd < 0) {
			throw new IllegalStateException("link " + this.pin + " is closed");
		}
		return this.fd;
	}

	/**
	 * Hands the fd over to the caller, who closes it.
	 * @return the fd
	 */
	public synchronized int release() {
		int released = fd();
		this.fd = -1;
		return released;
	}

	/**
	 * Releases this process's fd; the pin keeps the link.
	 */
	@Override
	public synchronized void close() {
		if (this.fd >= 0) {
			LibC.load().close(this.fd);
			this.fd = -1;
		}
	}

	/**
	 * What a link attaches.
	 *
	 * @param type {@code enum bpf_link_type}
	 * @param cgroupId the cgroup's id (its inode on cgroup2), 0 when detached or not a
	 * cgroup link
	 * @param attachType {@code enum bpf_attach_type}, -1 when not a cgroup link
	 */
	public record Info(int type, long cgroupId, int attachType) {

	}

}
