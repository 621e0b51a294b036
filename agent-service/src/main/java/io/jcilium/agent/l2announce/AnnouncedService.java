package io.jcilium.agent.l2announce;

/**
 * A service whose addresses some node announces.
 *
 * @param namespace its namespace
 * @param name its name
 */
public record AnnouncedService(String namespace, String name) implements Comparable<AnnouncedService> {

	/** Upstream's Lease name prefix. */
	static final String LEASE_PREFIX = "cilium-l2announce-";

	/**
	 * The Lease the nodes compete for, named as upstream's.
	 * @return {@code cilium-l2announce-<namespace>-<name>}
	 */
	public String leaseName() {
		return LEASE_PREFIX + this.namespace + "-" + this.name;
	}

	@Override
	public int compareTo(AnnouncedService other) {
		int byNamespace = this.namespace.compareTo(other.namespace);
		return (byNamespace != 0) ? byNamespace : this.name.compareTo(other.name);
	}

	@Override
	public String toString() {
		return this.namespace + "/" + this.name;
	}

}
