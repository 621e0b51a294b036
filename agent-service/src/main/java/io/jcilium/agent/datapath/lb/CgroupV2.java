package io.jcilium.agent.datapath.lb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the cgroup v2 hierarchy socket programs attach to. On a host with hybrid cgroups
 * (v1 controllers under {@code /sys/fs/cgroup}) the v2 hierarchy is a separate
 * {@code cgroup2} mount, e.g. {@code /sys/fs/cgroup/unified}; on a pure v2 host it is
 * {@code /sys/fs/cgroup}. Attaching at its root covers every process of the node: pods
 * and the host.
 */
public final class CgroupV2 {

	private CgroupV2() {
	}

	/**
	 * The first {@code cgroup2} mount point in a mount table.
	 * @param mountsFile {@code /proc/mounts}
	 * @return the mount point, if any
	 */
	public static Optional<Path> find(Path mountsFile) {
		try {
			return find(Files.readAllLines(mountsFile));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + mountsFile, ex);
		}
	}

	static Optional<Path> find(List<String> mountLines) {
		for (String line : mountLines) {
			String[] fields = line.split(" ");
			if (fields.length >= 3 && "cgroup2".equals(fields[2])) {
				// /proc/mounts escapes spaces as \040
				return Optional.of(Path.of(fields[1].replace("\\040", " ")));
			}
		}
		return Optional.empty();
	}

	/**
	 * Checks that a path lies on a cgroup v2 file system. A plain directory there (e.g.
	 * the mount point left bare when another mount hid the cgroup) would open, and only
	 * the attach would fail with a bare errno.
	 * @param path the configured or found hierarchy
	 * @return the path
	 * @throws IllegalStateException naming the path, what is there and what to do
	 */
	public static Path requireHierarchy(Path path) {
		String type;
		try {
			type = Files.getFileStore(path).type();
		}
		catch (IOException ex) {
			throw new IllegalStateException("socket load balancing cannot use the cgroup " + path + ": "
					+ ex.getMessage() + " (mount cgroup2 there, or set jcilium.service.cgroup-path)", ex);
		}
		if (!"cgroup2".equals(type)) {
			throw new IllegalStateException("socket load balancing needs a cgroup v2 hierarchy at " + path
					+ " but it is on a " + type + " file system: mount cgroup2 there" + " (mount -t cgroup2 none "
					+ path + ") or set jcilium.service.cgroup-path");
		}
		return path;
	}

	/**
	 * The configured path, else the mount found in {@code /proc/mounts}.
	 * @param configured from the agent's settings, or null
	 * @return the hierarchy's root
	 * @throws IllegalStateException saying how to provide one if there is none
	 */
	public static Path resolve(Path configured) {
		if (configured != null) {
			return configured;
		}
		return find(Path.of("/proc/mounts")).orElseThrow(() -> new IllegalStateException(
				"no cgroup v2 hierarchy is mounted, socket load balancing needs one: mount it"
						+ " (mount -t cgroup2 none /sys/fs/cgroup/unified) or set jcilium.service.cgroup-path,"
						+ " or switch socket LB off with jcilium.service.socket-lb=false"));
	}

}
