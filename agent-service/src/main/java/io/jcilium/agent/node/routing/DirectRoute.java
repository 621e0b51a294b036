package io.jcilium.agent.node.routing;

import java.net.InetAddress;
import java.util.Objects;

import io.jcilium.common.net.Cidr;

/**
 * A route to another node's pod CIDR through that node's address.
 *
 * @param destination the pod CIDR
 * @param gateway the node's InternalIP, of the same family
 */
record DirectRoute(Cidr destination, InetAddress gateway) {

	DirectRoute {
		Objects.requireNonNull(destination, "destination");
		Objects.requireNonNull(gateway, "gateway");
	}

	@Override
	public String toString() {
		return this.destination + " via " + this.gateway.getHostAddress();
	}

}
