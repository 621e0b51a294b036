package io.jcilium.agent.node.routing;

import java.net.InetAddress;
import java.util.Objects;

import io.jcilium.common.net.Cidr;

/**
 * A route to another node's pod CIDR through that node's address, or into the tunnel
 * device.
 *
 * @param destination the pod CIDR
 * @param gateway the node's InternalIP, of the same family; null only for a route into
 * the tunnel device of another family than the underlay (an IPv6 pod CIDR over the IPv4
 * underlay): the device's program picks the tunnel endpoint from the ipcache, so such a
 * route needs no next hop
 * @param device the tunnel device the route points into (tunnel mode), or null for
 * whichever device reaches the gateway (native mode)
 */
record DirectRoute(Cidr destination, InetAddress gateway, String device) {

	DirectRoute {
		Objects.requireNonNull(destination, "destination");
		if (gateway == null && device == null) {
			throw new IllegalArgumentException("a route to " + destination + " needs a gateway or a device");
		}
	}

	DirectRoute(Cidr destination, InetAddress gateway) {
		this(destination, gateway, null);
	}

	@Override
	public String toString() {
		return this.destination + ((this.gateway != null) ? " via " + this.gateway.getHostAddress() : "")
				+ ((this.device != null) ? " dev " + this.device : "");
	}

}
