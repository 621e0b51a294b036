package io.jcilium.agent.datapath.link;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.jcilium.agent.link.LinkException;
import io.jcilium.agent.link.LinkOperations;
import io.jcilium.agent.link.NodeLinkFiles;
import io.jcilium.agent.link.PodLink;
import io.jcilium.agent.link.PodLinkSpec;

/**
 * {@link LinkOperations} over rtnetlink from inside the agent: the veth pair, the pod's
 * address and routes and the node end's route are a handful of netlink requests, with no
 * {@code ip} process forked per step. A burst of pods forked two {@code ip} runs each
 * (milliseconds of CPU per fork on a loaded node, and at 100 pods at once runs killed by
 * their timeout while they queued); these requests take microseconds each.
 * <p>
 * The pod side runs on a fresh thread that joins the pod's network namespace (a netlink
 * socket acts in the namespace of the thread that opened it) and ends with its work, so
 * no pooled thread is ever left in a pod's namespace. The caller waits for it at most the
 * timeout: the kernel's RTNL lock cannot be interrupted, so a hung request leaves that
 * thread behind but never the ADD.
 */
public final class NetlinkLinkOperations implements LinkOperations {

	/** Far above the milliseconds a pod's link set-up takes; longer means stuck. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private static final InetAddress GATEWAY = gateway();

	private final NodeLinkFiles node;

	private final Duration timeout;

	private final int mtu;

	public NetlinkLinkOperations() {
		this(DEFAULT_TIMEOUT);
	}

	/**
	 * @param timeout how long one pod's link set-up, or one removal, may take
	 */
	public NetlinkLinkOperations(Duration timeout) {
		this(timeout, 0);
	}

	/**
	 * @param timeout how long one pod's link set-up, or one removal, may take
	 * @param mtu both ends' MTU (lowered by the encapsulation in tunnel mode), or 0 for
	 * the kernel's default
	 */
	public NetlinkLinkOperations(Duration timeout, int mtu) {
		this.node = NodeLinkFiles.system();
		this.timeout = timeout;
		this.mtu = mtu;
	}

	@Override
	public PodLink createPodLink(PodLinkSpec spec) {
		if (!Files.exists(Path.of(spec.netnsPath()))) {
			throw new LinkException("network namespace " + spec.netnsPath() + " does not exist");
		}
		String hostIf = spec.hostIfName();
		try {
			inOwnThread("setting up " + spec.podIfName() + " in " + spec.netnsPath(),
					(abandoned) -> PodSide.create(spec, this.timeout, this.mtu, abandoned));
			// As the node's own thread: these sysctls and requests act in the node's
			// namespace.
			this.node.prepareHostEnd(hostIf);
			int hostIndex = this.node.ifIndex(hostIf);
			try (RtnetlinkSocket host = RtnetlinkSocket.open(this.timeout)) {
				host.execute(RtnetlinkRequest.link(RtnetlinkRequest.RTM_NEWLINK, 0, hostIndex, RtnetlinkRequest.IFF_UP,
						RtnetlinkRequest.IFF_UP), "setting " + hostIf + " up");
				host.execute(
						RtnetlinkRequest.route(spec.podIp(), spec.podIp().getAddress().length * 8,
								RtnetlinkRequest.RT_SCOPE_LINK, hostIndex, true),
						"routing " + spec.podCidr() + " to " + hostIf);
			}
			return new PodLink(hostIf, hostIndex, spec.hostMac(), spec.podIfName(), spec.podMac());
		}
		catch (RuntimeException ex) {
			try {
				deletePodLink(hostIf);
			}
			catch (RuntimeException cleanup) {
				ex.addSuppressed(cleanup);
			}
			throw ex;
		}
	}

	@Override
	public void deletePodLink(String hostIfName) {
		if (!hostLinkExists(hostIfName)) {
			return;
		}
		try (RtnetlinkSocket host = RtnetlinkSocket.open(this.timeout)) {
			host.execute(RtnetlinkRequest.link(RtnetlinkRequest.RTM_DELLINK, 0, 0, 0, 0)
				.attribute(RtnetlinkRequest.IFLA_IFNAME, hostIfName), "deleting " + hostIfName);
		}
		catch (LinkException ex) {
			// Deleted concurrently (the namespace went away with the pod): that is the
			// goal.
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

	/**
	 * Runs work on a fresh thread, waiting at most the timeout; work it gave up on is
	 * told so through the flag it is handed, and undoes what it made when it finds out.
	 */
	private void inOwnThread(String what, Consumer<AtomicBoolean> work) {
		AtomicBoolean abandoned = new AtomicBoolean();
		FutureTask<Void> task = new FutureTask<>(() -> work.accept(abandoned), null);
		Thread thread = new Thread(task, "netlink-pod");
		thread.setDaemon(true);
		thread.start();
		try {
			task.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			abandoned.set(true);
			thread.interrupt();
			throw new LinkException(what + " timed out after " + this.timeout.toMillis() + " ms", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LinkException(what + " interrupted", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof LinkException link) {
				throw new LinkException(link.getMessage(), link);
			}
			throw new LinkException(what + " failed: " + ex.getCause(), ex.getCause());
		}
	}

	private static InetAddress gateway() {
		try {
			return InetAddress.getByName(PodLinkSpec.POD_GATEWAY);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** What runs on the pod's thread. */
	private static final class PodSide {

		private PodSide() {
		}

		/**
		 * Creates the pair from the node's namespace with the pod end straight in the
		 * pod's (IFLA_NET_NS_FD), then joins the pod's namespace and configures its end:
		 * lo and the pod end up, the address, a route to the gateway and the default
		 * route through it.
		 */
		static void create(PodLinkSpec spec, Duration timeout, int mtu, AtomicBoolean abandoned) {
			RtnetlinkLibC libc = RtnetlinkLibC.load();
			int netns = libc.open(spec.netnsPath(), RtnetlinkLibC.O_RDONLY_CLOEXEC);
			if (netns < 0) {
				throw new LinkException("cannot open network namespace " + spec.netnsPath() + ": "
						+ RtnetlinkSocket.describe(jnr.ffi.Runtime.getRuntime(libc).getLastError()));
			}
			try {
				try (RtnetlinkSocket host = RtnetlinkSocket.open(timeout)) {
					host.execute(vethPair(spec, netns, mtu), "creating veth " + spec.hostIfName() + " with "
							+ spec.podIfName() + " in " + spec.netnsPath());
					if (abandoned.get()) {
						// the ADD already failed and removed the link: this late one goes
						// too
						host.execute(
								RtnetlinkRequest.link(RtnetlinkRequest.RTM_DELLINK, 0, 0, 0, 0)
									.attribute(RtnetlinkRequest.IFLA_IFNAME, spec.hostIfName()),
								"deleting " + spec.hostIfName());
						return;
					}
				}
				if (libc.setns(netns, RtnetlinkLibC.CLONE_NEWNET) != 0) {
					throw new LinkException("cannot enter network namespace " + spec.netnsPath() + ": "
							+ RtnetlinkSocket.describe(jnr.ffi.Runtime.getRuntime(libc).getLastError()));
				}
				configurePodEnd(libc, spec, timeout);
			}
			finally {
				libc.close(netns);
			}
		}

		private static RtnetlinkRequest vethPair(PodLinkSpec spec, int netns, int mtu) {
			RtnetlinkRequest request = RtnetlinkRequest
				.link(RtnetlinkRequest.RTM_NEWLINK, RtnetlinkRequest.NLM_F_CREATE | RtnetlinkRequest.NLM_F_EXCL, 0, 0,
						0)
				.attribute(RtnetlinkRequest.IFLA_IFNAME, spec.hostIfName())
				.macAttribute(RtnetlinkRequest.IFLA_ADDRESS, spec.hostMac());
			if (mtu > 0) {
				request.attribute(RtnetlinkRequest.IFLA_MTU, mtu);
			}
			request.begin(RtnetlinkRequest.IFLA_LINKINFO)
				.attribute(RtnetlinkRequest.IFLA_INFO_KIND, "veth")
				.begin(RtnetlinkRequest.IFLA_INFO_DATA)
				.begin(RtnetlinkRequest.VETH_INFO_PEER)
				.ifinfomsg(0, 0, 0)
				.attribute(RtnetlinkRequest.IFLA_IFNAME, spec.podIfName())
				.macAttribute(RtnetlinkRequest.IFLA_ADDRESS, spec.podMac())
				.attribute(RtnetlinkRequest.IFLA_NET_NS_FD, netns);
			if (mtu > 0) {
				request.attribute(RtnetlinkRequest.IFLA_MTU, mtu);
			}
			return request.end().end().end();
		}

		private static void configurePodEnd(RtnetlinkLibC libc, PodLinkSpec spec, Duration timeout) {
			String where = " in " + spec.netnsPath();
			int podIndex = libc.if_nametoindex(spec.podIfName());
			int loIndex = libc.if_nametoindex("lo");
			if (podIndex <= 0 || loIndex <= 0) {
				throw new LinkException(
						"no " + ((podIndex <= 0) ? spec.podIfName() : "lo") + where + " after creating the veth pair");
			}
			try (RtnetlinkSocket pod = RtnetlinkSocket.open(timeout)) {
				pod.execute(up(loIndex), "setting lo up" + where);
				pod.execute(up(podIndex), "setting " + spec.podIfName() + " up" + where);
				pod.execute(RtnetlinkRequest.hostAddress(spec.podIp(), podIndex),
						"adding " + spec.podCidr() + " to " + spec.podIfName() + where);
				// added, not replaced: a second interface of the pod fails instead of
				// taking
				// the first one's routes
				pod.execute(RtnetlinkRequest.route(GATEWAY, 32, RtnetlinkRequest.RT_SCOPE_LINK, podIndex, false),
						"routing " + PodLinkSpec.POD_GATEWAY + " to " + spec.podIfName() + where);
				pod.execute(RtnetlinkRequest.defaultRoute(GATEWAY, podIndex),
						"default route via " + PodLinkSpec.POD_GATEWAY + where);
			}
		}

		private static RtnetlinkRequest up(int ifIndex) {
			return RtnetlinkRequest.link(RtnetlinkRequest.RTM_NEWLINK, 0, ifIndex, RtnetlinkRequest.IFF_UP,
					RtnetlinkRequest.IFF_UP);
		}

	}

}
