package io.jcilium.agent.link;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@link LinkOperations} through iproute2: one {@code ip -batch} inside the pod's
 * namespace (entered with {@code nsenter}, which unlike {@code ip netns exec} takes any
 * namespace path and does not remount /sys) and one in the node's namespace; sysctls are
 * written directly. Two forks per pod cost a few milliseconds, well inside the CNI ADD
 * budget, and iproute2 is what operators debug with anyway. Netlink through jnr-ffi can
 * replace this class behind the same interface if the fork cost ever matters.
 */
public final class IpCommandLinkOperations implements LinkOperations {

	/** Far above the milliseconds a healthy run takes; a run this long is stuck. */
	public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);

	private final NodeLinkFiles node;

	private final CommandRunner commands;

	private final int mtu;

	public IpCommandLinkOperations() {
		this(DEFAULT_COMMAND_TIMEOUT);
	}

	/**
	 * @param commandTimeout how long one {@code ip}/{@code nsenter} run may take before
	 * it is killed and the pod's setup fails
	 */
	public IpCommandLinkOperations(Duration commandTimeout) {
		this(commandTimeout, 0);
	}

	/**
	 * @param commandTimeout how long one {@code ip}/{@code nsenter} run may take before
	 * it is killed and the pod's setup fails
	 * @param mtu both ends' MTU (lowered by the encapsulation in tunnel mode), or 0 for
	 * the kernel's default
	 */
	public IpCommandLinkOperations(Duration commandTimeout, int mtu) {
		this(Path.of("/sys/class/net"), NodeLinkFiles.procSysNet(NodeLinkFiles.HOST_PROC_SYS_NET), commandTimeout, mtu);
	}

	IpCommandLinkOperations(Path sysClassNet, Path procSysNet, Duration commandTimeout) {
		this(sysClassNet, procSysNet, commandTimeout, 0);
	}

	IpCommandLinkOperations(Path sysClassNet, Path procSysNet, Duration commandTimeout, int mtu) {
		this.node = new NodeLinkFiles(sysClassNet, procSysNet);
		this.commands = new CommandRunner(commandTimeout);
		this.mtu = mtu;
	}

	@Override
	public PodLink createPodLink(PodLinkSpec spec) {
		if (!Files.exists(Path.of(spec.netnsPath()))) {
			throw new LinkException("network namespace " + spec.netnsPath() + " does not exist");
		}
		String hostIf = spec.hostIfName();
		String mtu = (this.mtu > 0) ? " mtu " + this.mtu : "";
		// The pair is created from inside the pod so the pod end never appears on the
		// node;
		// "netns <pid>" puts the node end into this JVM's namespace, the node's.
		String podScript = String.join("\n",
				"link add name " + spec.podIfName() + " address " + spec.podMac() + mtu + " type veth peer name "
						+ hostIf + " address " + spec.hostMac() + mtu + " netns " + ProcessHandle.current().pid(),
				"link set lo up", "link set " + spec.podIfName() + " up",
				"addr add " + spec.podCidr() + " dev " + spec.podIfName(),
				"route add " + PodLinkSpec.POD_GATEWAY + "/32 dev " + spec.podIfName() + " scope link",
				"route add default via " + PodLinkSpec.POD_GATEWAY + " dev " + spec.podIfName(), "");
		try {
			run(List.of("nsenter", "--net=" + spec.netnsPath(), "ip", "-batch", "-"), podScript,
					"configuring " + spec.podIfName() + " in " + spec.netnsPath());
			this.node.prepareHostEnd(hostIf);
			run(List.of("ip", "-batch", "-"),
					String.join("\n", "link set " + hostIf + " up",
							"route replace " + spec.podCidr() + " dev " + hostIf + " scope link", ""),
					"configuring the node end " + hostIf);
			return new PodLink(hostIf, this.node.ifIndex(hostIf), spec.hostMac(), spec.podIfName(), spec.podMac());
		}
		catch (RuntimeException ex) {
			deleteQuietly(hostIf, ex);
			throw ex;
		}
	}

	@Override
	public void deletePodLink(String hostIfName) {
		if (!hostLinkExists(hostIfName)) {
			return;
		}
		try {
			run(List.of("ip", "link", "del", "dev", hostIfName), "", "deleting " + hostIfName);
		}
		catch (LinkException ex) {
			// Deleted concurrently (e.g. the namespace went away with the pod): that is
			// the goal.
			if (hostLinkExists(hostIfName)) {
				throw ex;
			}
		}
	}

	@Override
	public boolean hostLinkExists(String hostIfName) {
		return this.node.exists(hostIfName);
	}

	@Override
	public Set<String> podHostLinks() {
		return this.node.podHostLinks();
	}

	private void deleteQuietly(String hostIf, RuntimeException cause) {
		try {
			deletePodLink(hostIf);
		}
		catch (RuntimeException ex) {
			cause.addSuppressed(ex);
		}
	}

	private void run(List<String> command, String stdin, String what) {
		this.commands.run(command, stdin, what);
	}

}
