package io.jcilium.agent.datapath.l2;

import java.nio.charset.StandardCharsets;

import io.jcilium.agent.datapath.libbpf.LibBpfException;
import io.jcilium.agent.datapath.libbpf.LibC;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.l2announce.XdpMode;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An XDP program attached to one device through a BPF link that only this process holds
 * (not pinned): the kernel detaches the program when the last fd of the link closes, so
 * when the agent dies, even by SIGKILL, the device stops running the program at once. A
 * program attached the older way, over netlink, stays on its device after its process is
 * gone, and a device that carries one refuses a link ({@code EBUSY}); so before linking,
 * a netlink-attached program of the same name (left by an earlier agent) is removed. The
 * calls act in the calling thread's network namespace.
 */
final class XdpLink implements AutoCloseable {

	/** {@code BPF_XDP} of {@code enum bpf_attach_type}. */
	static final int BPF_XDP = 37;

	private static final int EBUSY = 16;

	/** {@code struct bpf_link_create_opts} up to {@code flags}, padded: sz, flags. */
	private static final int LINK_CREATE_OPTS_SIZE = 16;

	/** {@code struct bpf_prog_info} up to {@code name[16]} at offset 64. */
	private static final int PROG_INFO_SIZE = 80;

	private static final int PROG_INFO_NAME = 64;

	private static final int PROG_NAME_BYTES = 16;

	private static final Logger log = LoggerFactory.getLogger(XdpLink.class);

	private final Libbpf libbpf;

	private final String what;

	private int fd;

	private XdpLink(Libbpf libbpf, String what, int fd) {
		this.libbpf = libbpf;
		this.what = what;
		this.fd = fd;
	}

	/**
	 * Attaches a program to a device through a new link, first removing a
	 * netlink-attached program of the same name from it.
	 * @param libbpf the agent's libbpf
	 * @param programFd the loaded program
	 * @param programName its name in the kernel (at most 15 characters)
	 * @param ifindex the device in the calling thread's namespace
	 * @param mode generic or native
	 * @return the link; close it to detach
	 */
	static XdpLink attach(Libbpf libbpf, int programFd, String programName, int ifindex, XdpMode mode) {
		removeNetlinkAttached(libbpf, programName, ifindex);
		Pointer opts = Memory.allocateDirect(libbpf.runtime(), LINK_CREATE_OPTS_SIZE, true);
		opts.putLong(0, LINK_CREATE_OPTS_SIZE);
		opts.putInt(8, mode.flags());
		String what = programName + " (XDP " + mode.name().toLowerCase() + ") on ifindex " + ifindex;
		int result = libbpf.bindings().bpf_link_create(programFd, ifindex, BPF_XDP, opts);
		if (result == -EBUSY) {
			throw new LibBpfException("attaching " + what + " failed: the device already runs another XDP program ("
					+ describeAttached(libbpf, ifindex) + ")", EBUSY);
		}
		return new XdpLink(libbpf, what, libbpf.check(result, "attaching " + what));
	}

	/**
	 * Removes, in either mode, a program named {@code programName} that netlink attached
	 * to the device. One held by a link refuses ({@code EBUSY}) and stays: its process is
	 * alive and owns it.
	 */
	static void removeNetlinkAttached(Libbpf libbpf, String programName, int ifindex) {
		for (XdpMode mode : XdpMode.values()) {
			int id = attachedId(libbpf, ifindex, mode);
			if (id == 0 || !programName.equals(programName(libbpf, id))) {
				continue;
			}
			int result = libbpf.bindings().bpf_xdp_detach(ifindex, mode.flags(), null);
			if (result == 0) {
				log.info("Removed {} (program id {}, XDP {}) from ifindex {}: attached over netlink by an earlier run,"
						+ " it would outlive this one", programName, id, mode.name().toLowerCase(), ifindex);
			}
			else if (result != -EBUSY) {
				log.warn("Could not remove {} (program id {}) from ifindex {}: {}", programName, id, ifindex,
						libbpf.describe(-result));
			}
		}
	}

	/** The id of the program attached in that mode, 0 if none. */
	static int attachedId(Libbpf libbpf, int ifindex, XdpMode mode) {
		int[] id = new int[1];
		int result = libbpf.bindings().bpf_xdp_query_id(ifindex, mode.flags(), id);
		return (result == 0) ? id[0] : 0;
	}

	private static String describeAttached(Libbpf libbpf, int ifindex) {
		StringBuilder attached = new StringBuilder();
		for (XdpMode mode : XdpMode.values()) {
			int id = attachedId(libbpf, ifindex, mode);
			if (id != 0) {
				attached.append((attached.length() > 0) ? ", " : "")
					.append(mode.name().toLowerCase())
					.append(": ")
					.append(programName(libbpf, id))
					.append(" id ")
					.append(id);
			}
		}
		return (attached.length() > 0) ? attached.toString() : "none seen";
	}

	/** The kernel's name of a program, "?" if it cannot be read. */
	static String programName(Libbpf libbpf, int id) {
		int fd = libbpf.bindings().bpf_prog_get_fd_by_id(id);
		if (fd < 0) {
			return "?";
		}
		try {
			Pointer info = Memory.allocateDirect(libbpf.runtime(), PROG_INFO_SIZE, true);
			Pointer length = Memory.allocateDirect(libbpf.runtime(), 4, true);
			length.putInt(0, PROG_INFO_SIZE);
			if (libbpf.bindings().bpf_obj_get_info_by_fd(fd, info, length) < 0) {
				return "?";
			}
			byte[] name = new byte[PROG_NAME_BYTES];
			info.get(PROG_INFO_NAME, name, 0, name.length);
			int end = 0;
			while (end < name.length && name[end] != 0) {
				end++;
			}
			return new String(name, 0, end, StandardCharsets.US_ASCII);
		}
		finally {
			LibC.load().close(fd);
		}
	}

	/**
	 * Detaches now and releases the fd; a device already gone took the program with it.
	 */
	@Override
	public synchronized void close() {
		if (this.fd < 0) {
			return;
		}
		int result = this.libbpf.bindings().bpf_link_detach(this.fd);
		LibC.load().close(this.fd);
		this.fd = -1;
		if (result < 0) {
			log.debug("Detaching {}: {}", this.what, this.libbpf.describe(-result));
		}
	}

	@Override
	public String toString() {
		return this.what;
	}

}
