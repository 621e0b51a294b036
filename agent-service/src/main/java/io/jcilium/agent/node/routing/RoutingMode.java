package io.jcilium.agent.node.routing;

/**
 * How pods reach pods on other nodes (upstream's {@code routing-mode}).
 */
public enum RoutingMode {

	/**
	 * The underlay routes pod addresses: with {@code auto-direct-node-routes} this agent
	 * installs a route to every other node's pod CIDRs via its InternalIP.
	 */
	NATIVE,

	/**
	 * A VXLAN overlay: every other node's pod CIDRs are routed into this node's VXLAN
	 * device, whose programs encapsulate towards the node that hosts the destination and
	 * carry the source's security identity in the VNI.
	 */
	TUNNEL;

	/**
	 * VXLAN over IPv4: outer IPv4 (20), UDP (8), VXLAN (8) and inner Ethernet (14)
	 * headers.
	 */
	public static final int VXLAN_OVERHEAD_BYTES = 50;

	/**
	 * The MTU of the VXLAN device and of pods' interfaces in tunnel mode.
	 * @param underlayMtu the MTU of the nodes' network
	 * @return the underlay's less the encapsulation
	 */
	public static int tunnelMtu(int underlayMtu) {
		return underlayMtu - VXLAN_OVERHEAD_BYTES;
	}

	/**
	 * The MTU a pod's link is created with, from the raw settings (the link cells read
	 * them without the routing cell, which may be off).
	 * @param mode {@code jcilium.agent.routing.mode}
	 * @param underlayMtu {@code jcilium.agent.routing.underlay-mtu}
	 * @return {@link #tunnelMtu(int)} in tunnel mode, else 0: the kernel's default
	 * @throws IllegalArgumentException for a mode that is neither
	 */
	public static int podLinkMtu(String mode, int underlayMtu) {
		return (parse(mode) == TUNNEL) ? tunnelMtu(underlayMtu) : 0;
	}

	/**
	 * @param text {@code native} or {@code tunnel}, in any case
	 * @return the mode
	 * @throws IllegalArgumentException for anything else
	 */
	public static RoutingMode parse(String text) {
		for (RoutingMode mode : values()) {
			if (mode.name().equalsIgnoreCase((text != null) ? text.trim() : "")) {
				return mode;
			}
		}
		throw new IllegalArgumentException(
				"jcilium.agent.routing.mode must be 'native' or 'tunnel', got '" + text + "'");
	}

}
