package io.jcilium.agent.datapath.lb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.Libbpf;

/**
 * {@code bpf_sock.o} loaded: its LB maps (pinned when a directory is given, so other
 * programs and a restarted agent find them) and its eight socket programs, attached to a
 * cgroup v2 directory on request, through links of this process or links pinned on bpffs.
 * Closing releases everything this process holds: unpinned links are detached, pinned
 * maps and links stay (the socket programs go on translating until the next run takes the
 * links over, or {@link #detach()} or {@link #detachPinned} ends them).
 */
public final class SocketLb implements AutoCloseable {

	/** Object file name on the classpath under {@code bpf/}. */
	public static final String OBJECT = "bpf_sock.o";

	/** Program name and {@code enum bpf_attach_type} (linux/bpf.h). */
	static final List<Hook> HOOKS = List.of(new Hook("sock4_connect", 10), new Hook("sock6_connect", 11),
			new Hook("sock4_sendmsg", 14), new Hook("sock6_sendmsg", 15), new Hook("sock4_recvmsg", 19),
			new Hook("sock6_recvmsg", 20), new Hook("sock4_getpeername", 29), new Hook("sock6_getpeername", 30));

	private final BpfObject object;

	private final List<CgroupLink> links = new ArrayList<>();

	private SocketLb(BpfObject object) {
		this.object = object;
	}

	/**
	 * Opens and loads the object.
	 * @param libbpf the library
	 * @param file the compiled bpf_sock.o
	 * @param pinDirectory where the LB maps are pinned (reused if there), or null for
	 * private maps
	 * @param sizes map sizes
	 * @return the loaded object, not attached
	 */
	public static SocketLb load(Libbpf libbpf, Path file, Path pinDirectory, MapSizes sizes) {
		BpfObject object = BpfObject.open(libbpf, file);
		try {
			if (pinDirectory != null) {
				for (String name : LbMapSet.NAMES) {
					object.pinMap(name, pinDirectory.resolve(name));
				}
			}
			object.setMaxEntries("lb_services", sizes.serviceEntries());
			object.setMaxEntries("lb_backends", sizes.backends());
			object.setMaxEntries("lb_affinity_mt", sizes.backends());
			object.setMaxEntries("lb_reverse_nat", sizes.reverseNat());
			object.load();
			return new SocketLb(object);
		}
		catch (RuntimeException ex) {
			object.close();
			throw ex;
		}
	}

	/**
	 * The LB maps.
	 * @return the maps, valid while this is open
	 */
	public LbMapSet maps() {
		return LbMapSet.of(this.object);
	}

	/**
	 * Attaches every socket program to a cgroup (v2); on failure, what was attached is
	 * detached again.
	 * @param cgroup e.g. the cgroup v2 root
	 */
	public synchronized void attach(Path cgroup) {
		List<CgroupLink> attached = new ArrayList<>();
		try {
			for (Hook hook : HOOKS) {
				attached.add(CgroupLink.attach(this.object.program(hook.program()), cgroup, hook.attachType()));
			}
		}
		catch (RuntimeException ex) {
			attached.forEach(CgroupLink::close);
			throw ex;
		}
		this.links.addAll(attached);
	}

	/**
	 * Attaches every socket program to a cgroup (v2) through links pinned in a directory,
	 * taking over the ones an earlier run pinned there (their programs are swapped for
	 * this object's in one step each, so connects are translated throughout). On failure,
	 * the links made by this call are detached again; taken-over ones stay.
	 * @param cgroup e.g. the cgroup v2 root
	 * @param linkDirectory bpffs directory of the link pins
	 * @return how many links were taken over
	 */
	public synchronized int attach(Path cgroup, Path linkDirectory) {
		try {
			Files.createDirectories(linkDirectory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create the link directory " + linkDirectory, ex);
		}
		List<CgroupLink> attached = new ArrayList<>();
		try {
			for (Hook hook : HOOKS) {
				attached.add(CgroupLink.attachPinned(this.object.program(hook.program()), cgroup, hook.attachType(),
						linkDirectory.resolve(hook.program())));
			}
		}
		catch (RuntimeException ex) {
			for (CgroupLink link : attached) {
				try {
					if (link.tookOver()) {
						link.close();
					}
					else {
						link.detach();
					}
				}
				catch (RuntimeException undo) {
					ex.addSuppressed(undo);
				}
			}
			throw ex;
		}
		this.links.addAll(attached);
		return (int) attached.stream().filter(CgroupLink::tookOver).count();
	}

	/**
	 * Detaches the socket programs an earlier run left attached through links pinned in a
	 * directory, and removes the pins and the directory.
	 * @param libbpf the library
	 * @param linkDirectory bpffs directory of the link pins
	 * @return how many links were detached
	 */
	public static int detachPinned(Libbpf libbpf, Path linkDirectory) {
		if (!Files.isDirectory(linkDirectory)) {
			return 0;
		}
		int detached = 0;
		RuntimeException first = null;
		for (Hook hook : HOOKS) {
			Path pin = linkDirectory.resolve(hook.program());
			if (!Files.exists(pin)) {
				continue;
			}
			try {
				CgroupLink.detachPinned(libbpf, pin);
				detached++;
			}
			catch (RuntimeException ex) {
				first = (first != null) ? first : ex;
			}
		}
		if (first != null) {
			throw first;
		}
		try {
			Files.deleteIfExists(linkDirectory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot remove the link directory " + linkDirectory
					+ " (something other than the socket LB's link pins is in it?)", ex);
		}
		return detached;
	}

	/**
	 * Detaches every attachment made or taken over through this object, pinned or not,
	 * and removes their pins.
	 */
	public synchronized void detach() {
		endLinks(CgroupLink::detach);
	}

	/**
	 * Releases the object and this process's links: unpinned ones are detached, pinned
	 * ones stay attached.
	 */
	@Override
	public synchronized void close() {
		try {
			endLinks(CgroupLink::close);
		}
		finally {
			this.object.close();
		}
	}

	/**
	 * Ends every link one way, all of them even when one fails, then forgets them.
	 * @param end detach or close
	 * @throws RuntimeException the first failure
	 */
	private void endLinks(Consumer<CgroupLink> end) {
		RuntimeException first = null;
		for (CgroupLink link : this.links) {
			try {
				end.accept(link);
			}
			catch (RuntimeException ex) {
				first = (first != null) ? first : ex;
			}
		}
		this.links.clear();
		if (first != null) {
			throw first;
		}
	}

	/**
	 * Map sizes.
	 *
	 * @param serviceEntries masters plus backend slots
	 * @param backends distinct backends
	 * @param reverseNat frontends (at most 65535: indexes are 16 bits)
	 */
	public record MapSizes(int serviceEntries, int backends, int reverseNat) {

		public MapSizes {
			if (serviceEntries < 1 || backends < 1 || reverseNat < 1 || reverseNat > 0xffff) {
				throw new IllegalArgumentException(
						"LB map sizes must be positive and the rev NAT map at most 65535, got " + serviceEntries + "/"
								+ backends + "/" + reverseNat);
			}
		}

	}

	/** One attach point. */
	record Hook(String program, int attachType) {

	}

}
