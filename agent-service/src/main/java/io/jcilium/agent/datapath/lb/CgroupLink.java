package io.jcilium.agent.datapath.lb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.jcilium.agent.datapath.libbpf.BpfProgram;
import io.jcilium.agent.datapath.libbpf.LibC;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.datapath.libbpf.PinnedLink;

/**
 * A program attached to a cgroup through a BPF link. Unpinned, the attachment lives as
 * long as the link's fd, so closing it (or the process dying) detaches. Pinned on bpffs,
 * it outlives the process (an agent restart goes on translating): closing only releases
 * the fd, the next run takes the link over and swaps its program in one step, and only
 * {@link #detach()} (or removing the pin) ends it.
 */
public final class CgroupLink implements AutoCloseable {

	private final Libbpf libbpf;

	private final String what;

	private final Path pin;

	private final boolean tookOver;

	private int fd;

	private CgroupLink(Libbpf libbpf, String what, int fd, Path pin, boolean tookOver) {
		this.libbpf = libbpf;
		this.what = what;
		this.fd = fd;
		this.pin = pin;
		this.tookOver = tookOver;
	}

	/**
	 * Attaches a program to a cgroup, for as long as the link's fd is open.
	 * @param program the loaded program
	 * @param cgroup the cgroup directory (v2)
	 * @param attachType {@code enum bpf_attach_type}
	 * @return the link
	 */
	public static CgroupLink attach(BpfProgram program, Path cgroup, int attachType) {
		Libbpf libbpf = program.libbpf();
		LibC libc = LibC.load();
		int cgroupFd = libc.open(cgroup.toString(), LibC.O_RDONLY_CLOEXEC);
		if (cgroupFd < 0) {
			throw new IllegalStateException("cannot open cgroup " + cgroup + " to attach " + program.name()
					+ ": is it a cgroup v2 directory (mount -t cgroup2)?");
		}
		try {
			int fd = libbpf.check(libbpf.bindings().bpf_link_create(program.fd(), cgroupFd, attachType, null),
					"attach of " + program.name() + " to cgroup " + cgroup);
			return new CgroupLink(libbpf, program.name() + "@" + cgroup, fd, null, false);
		}
		finally {
			libc.close(cgroupFd);
		}
	}

	/**
	 * Attaches a program to a cgroup through a link pinned at {@code pin}. A link an
	 * earlier run pinned there on the same cgroup and hook is taken over: its program is
	 * replaced atomically, so the hook is never empty. One pinned elsewhere (another
	 * cgroup, or detached) is detached and replaced by a new link.
	 * @param program the loaded program
	 * @param cgroup the cgroup directory (v2)
	 * @param attachType {@code enum bpf_attach_type}
	 * @param pin where the link is pinned, on bpffs
	 * @return the link, pinned
	 */
	public static CgroupLink attachPinned(BpfProgram program, Path cgroup, int attachType, Path pin) {
		Libbpf libbpf = program.libbpf();
		String what = program.name() + "@" + cgroup;
		if (Files.exists(pin)) {
			PinnedLink earlier = PinnedLink.open(libbpf, pin);
			try {
				PinnedLink.Info info = earlier.info();
				if (info.type() == PinnedLink.TYPE_CGROUP && info.attachType() == attachType
						&& info.cgroupId() == cgroupId(cgroup)) {
					earlier.update(program);
					return new CgroupLink(libbpf, what, earlier.release(), pin, true);
				}
				if (info.type() == PinnedLink.TYPE_CGROUP && info.cgroupId() != 0) {
					earlier.detachAndUnpin();
				}
				else {
					deletePin(pin);
				}
			}
			finally {
				earlier.close();
			}
		}
		CgroupLink link = attach(program, cgroup, attachType);
		try {
			PinnedLink.pin(libbpf, link.fd, pin);
		}
		catch (RuntimeException ex) {
			link.close();
			throw ex;
		}
		return new CgroupLink(libbpf, what, link.release(), pin, false);
	}

	/**
	 * Whether this link was attached by an earlier run and taken over.
	 * @return true if taken over
	 */
	public boolean tookOver() {
		return this.tookOver;
	}

	/**
	 * Releases this process's fd: an unpinned link is detached first, a pinned one stays
	 * attached.
	 */
	@Override
	public synchronized void close() {
		if (this.fd < 0) {
			return;
		}
		if (this.pin != null) {
			LibC.load().close(this.fd);
			this.fd = -1;
			return;
		}
		detach();
	}

	/**
	 * Detaches now, even if another fd of the link exists, removes its pin if any, and
	 * releases the fd.
	 */
	public synchronized void detach() {
		if (this.fd < 0) {
			return;
		}
		int result = this.libbpf.bindings().bpf_link_detach(this.fd);
		LibC.load().close(this.fd);
		this.fd = -1;
		this.libbpf.check(result, "detach of " + this.what);
		if (this.pin != null) {
			deletePin(this.pin);
		}
	}

	/**
	 * Detaches a link pinned by an earlier run and removes the pin.
	 * @param libbpf the library
	 * @param pin the pin
	 */
	public static void detachPinned(Libbpf libbpf, Path pin) {
		try (PinnedLink link = PinnedLink.open(libbpf, pin)) {
			link.detachAndUnpin();
		}
	}

	private int release() {
		int released = this.fd;
		this.fd = -1;
		return released;
	}

	/**
	 * A cgroup v2 directory's id as the kernel reports it in link info: its inode.
	 * @param cgroup the directory
	 * @return the id
	 */
	static long cgroupId(Path cgroup) {
		try {
			return ((Number) Files.getAttribute(cgroup, "unix:ino")).longValue();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the id of cgroup " + cgroup, ex);
		}
	}

	private static void deletePin(Path pin) {
		try {
			Files.deleteIfExists(pin);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot remove the stale link pin " + pin, ex);
		}
	}

	@Override
	public String toString() {
		return this.what;
	}

}
