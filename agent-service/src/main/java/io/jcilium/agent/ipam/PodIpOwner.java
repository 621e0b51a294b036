package io.jcilium.agent.ipam;

/**
 * Who holds a pod IP: one interface of one container. The CNI spec identifies an
 * attachment by {@code (CNI_CONTAINERID, CNI_IFNAME)}, so an address belongs to that
 * pair: a DEL for a pod's second interface must not free the address of its first.
 *
 * @param containerId the CNI container id of the pod's sandbox
 * @param ifName the interface inside the pod, e.g. {@code eth0}
 */
public record PodIpOwner(String containerId, String ifName) {

	public PodIpOwner {
		if (containerId == null || containerId.isBlank()) {
			throw new IllegalArgumentException("container id is missing");
		}
		if (ifName == null || ifName.isBlank()) {
			throw new IllegalArgumentException("interface name of container " + containerId + " is missing");
		}
	}

	@Override
	public String toString() {
		return this.containerId + "/" + this.ifName;
	}

}
