package io.jcilium.agent.l2announce;

/**
 * How the responder's XDP program is attached ({@code XDP_FLAGS_*} of
 * {@code linux/if_link.h}).
 */
public enum XdpMode {

	/**
	 * In the network stack, on any device. An answer leaves through the device like any
	 * frame, so it works on veth whatever the peer runs; the price is that every frame of
	 * the device meets the program as a linear skb.
	 */
	GENERIC(1 << 1),

	/**
	 * In the driver, before any skb: the fast path on physical NICs. On a veth the kernel
	 * sends an XDP_TX frame into the peer only when the peer runs XDP itself; otherwise
	 * the answer is dropped.
	 */
	NATIVE(1 << 2);

	private final int flags;

	XdpMode(int flags) {
		this.flags = flags;
	}

	public int flags() {
		return this.flags;
	}

}
