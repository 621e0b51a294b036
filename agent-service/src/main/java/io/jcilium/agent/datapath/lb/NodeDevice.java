package io.jcilium.agent.datapath.lb;

import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * A node device the tc LB attaches to: its index and this node's IPv4 address on it (the
 * source of SNATed connections to other nodes' backends).
 *
 * @param name e.g. eth0
 * @param ifindex its index
 * @param address its first IPv4 address
 */
record NodeDevice(String name, int ifindex, Inet4Address address) {

	/**
	 * Looks a device up in the agent's network namespace.
	 * @param name the device name
	 * @return the device
	 * @throws IllegalStateException naming what is missing
	 */
	static NodeDevice find(String name) {
		NetworkInterface device;
		try {
			device = NetworkInterface.getByName(name);
		}
		catch (SocketException ex) {
			throw new IllegalStateException("cannot read node device " + name + ": " + ex.getMessage(), ex);
		}
		if (device == null) {
			throw new IllegalStateException(
					"node device " + name + " (jcilium.service.node-port-devices) does not exist on this node");
		}
		return Collections.list(device.getInetAddresses())
			.stream()
			.filter(Inet4Address.class::isInstance)
			.map(Inet4Address.class::cast)
			.findFirst()
			.map((address) -> new NodeDevice(name, device.getIndex(), address))
			.orElseThrow(() -> new IllegalStateException(
					"node device " + name + " has no IPv4 address: the tc LB needs one to SNAT to"));
	}

}
