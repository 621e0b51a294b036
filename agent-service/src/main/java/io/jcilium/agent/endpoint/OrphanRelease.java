package io.jcilium.agent.endpoint;

import io.jcilium.agent.ipam.PodIpOwner;
import io.jcilium.agent.link.LinkOperations;

/**
 * Frees the address and veth of a held orphan under its container interface's lock, so a
 * CNI ADD or DEL of the same interface cannot interleave.
 */
final class OrphanRelease {

	private final EndpointTable table;

	private final LinkOperations links;

	private final PersistentPodIps ips;

	OrphanRelease(EndpointTable table, LinkOperations links, PersistentPodIps ips) {
		this.table = table;
		this.links = links;
		this.ips = ips;
	}

	/**
	 * Frees veth and address, unless the container interface has an endpoint again or its
	 * address changed meanwhile.
	 * @param orphan the orphan
	 * @return whether it was freed
	 */
	boolean release(HeldOrphan orphan) {
		String key = EndpointTable.key(orphan.containerId(), orphan.ifName());
		PodIpOwner owner = new PodIpOwner(orphan.containerId(), orphan.ifName());
		synchronized (this.table.lockFor(key)) {
			boolean stillOrphan = this.table.get(key) == null && this.ips.allocations()
				.stream()
				.anyMatch((allocation) -> allocation.owner().equals(owner)
						&& allocation.ip().getHostAddress().equals(orphan.ip()));
			if (!stillOrphan) {
				return false;
			}
			this.links.deletePodLink(orphan.hostIfName());
			this.ips.release(orphan.containerId(), orphan.ifName());
		}
		this.table.forgetLock(key);
		return true;
	}

}
