package io.jcilium.agent.node.routing;

import java.net.InetAddress;
import java.util.Objects;

import io.jcilium.common.net.Cidr;

/**
 * A route to another node's pod CIDR through that node's address.
 *
 * @param destination the pod CIDR
 * @param gateway the node's InternalIP, of the same family
 * @param device the tunnel device the route points into (tunnel mode), or null for
 * whichever device reaches the gateway (native mode)
 */
record DirectRoute(Cidr destination, InetAddress gateway, String device) {

	DirectRoute {
		Objects.requireNonNull(destination, "destination");
		Objects.requireNonNull(gateway, "gateway");
	}

	DirectRoute(Cidr destination, InetAddress gateway) {
		this(destination, gateway, null);
	}

	@Override
	public String toString() {
		return this.destination + " via " + this.gateway.getHostAddress()
				+ ((this.device != null) ? " dev " + this.device : "");
	}

}
