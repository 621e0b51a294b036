package io.jcilium.common.ipam;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One pod IP and the container that owns it.
 *
 * @param ip the pod's address
 * @param containerId the owner: the CNI container id of the pod's sandbox
 */
public record PodIpAllocation(InetAddress ip, String containerId) {

	public PodIpAllocation {
		Objects.requireNonNull(ip, "ip");
		if (containerId == null || containerId.isBlank()) {
			throw new IllegalArgumentException("container id is missing for " + IpBlock.format(ip));
		}
	}

	@Override
	public String toString() {
		return IpBlock.format(this.ip) + " " + this.containerId;
	}

}
