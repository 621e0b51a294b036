package io.jcilium.agent.ipam;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One pod IP and the container interface that owns it.
 *
 * @param ip the pod's address
 * @param owner the container interface holding it
 */
public record PodIpAllocation(InetAddress ip, PodIpOwner owner) {

	public PodIpAllocation {
		Objects.requireNonNull(ip, "ip");
		Objects.requireNonNull(owner, "owner of " + PodCidr.format(ip));
	}

	@Override
	public String toString() {
		return PodCidr.format(this.ip) + " " + this.owner;
	}

}
