package io.jcilium.agent.l2announce;

import java.net.InetAddress;

/**
 * One address this node answers ARP (IPv4) or NDP (IPv6) for, on one device.
 *
 * @param device the device name
 * @param address the service address
 */
public record ResponderEntry(String device, InetAddress address) {

	@Override
	public String toString() {
		return this.address.getHostAddress() + "@" + this.device;
	}

}
