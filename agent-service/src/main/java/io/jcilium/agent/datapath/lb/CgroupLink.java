package io.jcilium.agent.datapath.lb;

import java.nio.file.Path;

import io.jcilium.agent.datapath.libbpf.BpfProgram;
import io.jcilium.agent.datapath.libbpf.LibC;
import io.jcilium.agent.datapath.libbpf.Libbpf;

/**
 * A program attached to a cgroup through a BPF link: the attachment lives as long as the
 * link's fd, so closing it (or the process dying) detaches, and nothing is left behind by
 * a test or an agent that crashed.
 */
public final class CgroupLink implements AutoCloseable {

	private final Libbpf libbpf;

	private final String what;

	private int fd;

	private CgroupLink(Libbpf libbpf, String what, int fd) {
		this.libbpf = libbpf;
		this.what = what;
		this.fd = fd;
	}

	/**
	 * Attaches a program to a cgroup.
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
			return new CgroupLink(libbpf, program.name() + "@" + cgroup, fd);
		}
		finally {
			libc.close(cgroupFd);
		}
	}

	/**
	 * Detaches now, even if another fd of the link exists, and releases the fd.
	 */
	@Override
	public synchronized void close() {
		if (this.fd < 0) {
			return;
		}
		int result = this.libbpf.bindings().bpf_link_detach(this.fd);
		LibC.load().close(this.fd);
		this.fd = -1;
		this.libbpf.check(result, "detach of " + this.what);
	}

	@Override
	public String toString() {
		return this.what;
	}

}
