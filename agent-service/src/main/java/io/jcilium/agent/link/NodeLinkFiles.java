package io.jcilium.agent.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The node's links as sysfs and procfs show them to this process: whether a link exists,
 * its index, the pod veths, and the per-link sysctls a pod's node end needs (forwarding
 * even with global ip_forward=0, proxy ARP answering for the pod's gateway at once).
 */
public final class NodeLinkFiles {

	private final Path sysClassNet;

	private final Path procSysNet;

	NodeLinkFiles(Path sysClassNet, Path procSysNet) {
		this.sysClassNet = sysClassNet;
		this.procSysNet = procSysNet;
	}

	/**
	 * Where the host's {@code /proc/sys/net} is mounted for an agent that is not
	 * privileged, as upstream's DaemonSet mounts it: a container runtime mounts the
	 * container's own {@code /proc/sys} read-only, and refuses a volume anywhere under
	 * {@code /proc}.
	 */
	static final Path HOST_PROC_SYS_NET = Path.of("/host/proc/sys/net");

	public static NodeLinkFiles system() {
		return new NodeLinkFiles(Path.of("/sys/class/net"), procSysNet(HOST_PROC_SYS_NET));
	}

	/**
	 * The host's net sysctls: {@code hostMount} when it is mounted, else this process's
	 * own.
	 */
	static Path procSysNet(Path hostMount) {
		return Files.isDirectory(hostMount.resolve("ipv4")) ? hostMount : Path.of("/proc/sys/net");
	}

	public boolean exists(String ifName) {
		return Files.exists(this.sysClassNet.resolve(ifName));
	}

	public Set<String> podHostLinks() {
		try (Stream<Path> names = Files.list(this.sysClassNet)) {
			return names.map((path) -> path.getFileName().toString())
				.filter((name) -> PodLinkSpec.HOST_IF_NAME.matcher(name).matches())
				.collect(Collectors.toUnmodifiableSet());
		}
		catch (IOException | UncheckedIOException ex) {
			throw new LinkException("cannot list the node's links in " + this.sysClassNet + ": " + ex.getMessage(), ex);
		}
	}

	public int ifIndex(String ifName) {
		try {
			return Integer.parseInt(Files.readString(this.sysClassNet.resolve(ifName).resolve("ifindex")).strip());
		}
		catch (IOException | NumberFormatException ex) {
			throw new LinkException("cannot read the interface index of " + ifName + ": " + ex.getMessage(), ex);
		}
	}

	/** Forwarding, proxy ARP and no proxy delay on a pod's node end. */
	public void prepareHostEnd(String hostIf) {
		writeSysctl("ipv4/conf/" + hostIf + "/forwarding", "1");
		writeSysctl("ipv4/conf/" + hostIf + "/proxy_arp", "1");
		writeSysctl("ipv4/neigh/" + hostIf + "/proxy_delay", "0");
	}

	private void writeSysctl(String key, String value) {
		try {
			Files.writeString(this.procSysNet.resolve(key), value);
		}
		catch (IOException ex) {
			throw new LinkException("cannot set sysctl net." + key.replace('/', '.') + "=" + value + ": " + ex, ex);
		}
	}

}
