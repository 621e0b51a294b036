package io.jcilium.agent.link;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * What to build for one pod.
 *
 * @param hostIfName node-side veth name ({@code lxc...}, at most 15 characters)
 * @param podIfName pod-side name, usually {@code eth0}
 * @param netnsPath the pod's network namespace, e.g. {@code /run/netns/x} or
 * {@code /proc/<pid>/ns/net}
 * @param podIp the pod's address, given as a /32 (or /128)
 * @param hostMac MAC for the node end
 * @param podMac MAC for the pod end
 */
public record PodLinkSpec(String hostIfName, String podIfName, String netnsPath, InetAddress podIp, String hostMac,
		String podMac) {

	/** Linux's IFNAMSIZ is 16 including the terminating NUL. */
	static final int MAX_IF_NAME = 15;

	/**
	 * The next hop the pod routes through. A link-local address answered by the node end
	 * with proxy ARP, so the pod needs no address of the node and every pod looks alike.
	 */
	public static final String POD_GATEWAY = "169.254.1.1";

	/**
	 * The node-side veth names the agent gives: {@code lxc} and 12 hex digits of a hash
	 * of the container interface.
	 */
	public static final Pattern HOST_IF_NAME = Pattern.compile("lxc[0-9a-f]{12}");

	public PodLinkSpec {
		requireIfName(hostIfName);
		requireIfName(podIfName);
		if (netnsPath == null || netnsPath.isBlank()) {
			throw new IllegalArgumentException("network namespace path is missing");
		}
	}

	/** The pod address as a host prefix: {@code a.b.c.d/32} or {@code x::y/128}. */
	public String podCidr() {
		return podIp.getHostAddress() + ((podIp instanceof Inet4Address) ? "/32" : "/128");
	}

	private static void requireIfName(String name) {
		if (name == null || name.isEmpty() || name.length() > MAX_IF_NAME || !name.matches("[A-Za-z0-9_.-]+")) {
			throw new IllegalArgumentException("invalid interface name '" + name + "': use 1-" + MAX_IF_NAME
					+ " characters of letters, digits, '_', '.', '-'");
		}
	}

}
